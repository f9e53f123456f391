package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// Load merges d into the store on ids: it first removes
// d.DeleteRelationships and d.DeleteEntities (with their relationships),
// then writes d. It resolves and checks every record of d against the
// result before changing anything, so a load that fails changes nothing.
// Into an empty store it builds the incident lists in one pass.
func (s *Store) Load(ctx context.Context, d *network.Dataset) (network.Counts, error) {
	if err := ctx.Err(); err != nil {
		return network.Counts{}, network.Errorf(network.EUNAVAILABLE, "load cancelled: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stage(d)
	if err != nil {
		return network.Counts{}, err
	}
	if len(s.ents) == 0 && len(s.rels) == 0 {
		s.build(st)
	} else {
		s.apply(st)
	}
	if (s.deadEnts > 1024 && s.deadEnts > s.nEnts/2) || (s.deadRels > 4096 && s.deadRels > s.nRels/2) {
		s.compact()
	}
	return s.counts(), nil
}

// staged is a load resolved against the store and checked, not yet
// applied.
type staged struct {
	// goneEnts and goneRels are the live records the load deletes; a
	// deleted entity's relationships are in goneRels.
	goneEnts, goneRels []int32
	sources            []network.Source
	// replEnts replace the live entities at replEntAt.
	replEnts  []entRec
	replEntAt []int32
	// newEnts are appended, from index len(Store.ents); newEntIdx holds
	// those indexes.
	newEnts   []entRec
	newEntIdx *idTable
	// replRels replace the live relationships at replRelAt.
	replRels  []relRec
	replRelAt []int32
	// newRels are appended, from index len(Store.rels); newRelIdx holds
	// those indexes.
	newRels   []relRec
	newRelIdx *idTable
}

// stage resolves d against the store and checks every reference. It
// changes nothing but the interning tables, which only grow. The caller
// holds mu.
func (s *Store) stage(d *network.Dataset) (*staged, error) {
	st := &staged{newEntIdx: newIDTable(len(d.Entities))}
	goneE := map[int32]bool{}
	for _, id := range d.DeleteEntities {
		if e := s.lookup(id); e >= 0 && !goneE[e] {
			goneE[e] = true
			st.goneEnts = append(st.goneEnts, e)
		}
	}
	goneR := map[int32]bool{}
	gone := func(r int32) {
		if !goneR[r] {
			goneR[r] = true
			st.goneRels = append(st.goneRels, r)
		}
	}
	for _, id := range d.DeleteRelationships {
		if r := s.relIdx.find(id, s.relKey); r >= 0 {
			gone(r)
		}
	}
	for _, e := range st.goneEnts {
		for _, a := range s.inc[e] {
			gone(a.rel)
		}
	}

	newSources := make(map[string]bool, len(d.Sources))
	for _, src := range d.Sources {
		newSources[src.ID] = true
	}
	st.sources = d.Sources
	// missing memoizes, per interned source list, its first unknown id.
	missing := map[uint32]string{}
	unknownSource := func(list uint32) string {
		if m, ok := missing[list]; ok {
			return m
		}
		m := ""
		for _, id := range s.t.lists[list] {
			if _, ok := s.sources[id]; !ok && !newSources[id] {
				m = id
				break
			}
		}
		missing[list] = m
		return m
	}

	base := int32(len(s.ents))
	newEntKey := func(i int32) string { return s.t.text.get(st.newEnts[i-base].id) }
	replEnt := map[int32]int{}
	for i := range d.Entities {
		e := &d.Entities[i]
		x := s.lookup(e.ID)
		var old *entRec
		if x >= 0 && !goneE[x] {
			old = &s.ents[x]
		}
		rec, ok := s.t.compactEntity(e, old)
		if !ok {
			return nil, network.Errorf(network.EINVALID, "entity %q: more than 256 entity kinds", e.ID)
		}
		if old != nil {
			if p, ok := replEnt[x]; ok {
				st.replEnts[p] = rec
			} else {
				replEnt[x] = len(st.replEnts)
				st.replEnts = append(st.replEnts, rec)
				st.replEntAt = append(st.replEntAt, x)
			}
		} else if x := st.newEntIdx.find(e.ID, newEntKey); x >= 0 {
			st.newEnts[x-base] = rec
		} else {
			st.newEnts = append(st.newEnts, rec)
			st.newEntIdx.insert(base+int32(len(st.newEnts)-1), newEntKey)
		}
	}
	// Only the last record of an id is written, so only it is checked.
	for _, recs := range [][]entRec{st.replEnts, st.newEnts} {
		for i := range recs {
			rec := &recs[i]
			if id := unknownSource(rec.sources); id != "" {
				return nil, network.Errorf(network.EINVALID, "entity %q cites unknown source %q", s.t.text.get(rec.id), id)
			}
			if rec.more == nil {
				continue
			}
			for _, des := range rec.more.Designations {
				if id := unknownSource(s.t.list(des.SourceIDs)); id != "" {
					return nil, network.Errorf(network.EINVALID, "designation %q cites unknown source %q", des.ID, id)
				}
			}
		}
	}

	resolve := func(id string) int32 {
		if x := st.newEntIdx.find(id, newEntKey); x >= 0 {
			return x
		}
		if x := s.lookup(id); x >= 0 && !goneE[x] {
			return x
		}
		return -1
	}
	relBase := int32(len(s.rels))
	st.newRelIdx = newIDTable(len(d.Relationships))
	newKey := func(i int32) string { return s.t.text.get(st.newRels[i-relBase].id) }
	replRel := map[int32]int{}
	// bad keeps, per relationship id, why its last record cannot be
	// written: an earlier record of the same id may be bad and yet be
	// replaced by a good one.
	bad := map[string]error{}
	for i := range d.Relationships {
		r := &d.Relationships[i]
		from, to := resolve(r.From), resolve(r.To)
		delete(bad, r.ID)
		switch {
		case from < 0:
			bad[r.ID] = network.Errorf(network.EINVALID, "relationship %q refers to unknown entity %q", r.ID, r.From)
		case to < 0:
			bad[r.ID] = network.Errorf(network.EINVALID, "relationship %q refers to unknown entity %q", r.ID, r.To)
		}
		x := int32(-1)
		if s.relIdx.live > 0 {
			x = s.relIdx.find(r.ID, s.relKey)
		}
		var old *relRec
		if x >= 0 && !goneR[x] {
			old = &s.rels[x]
		}
		rec, ok := s.t.compactRel(r, from, to, old)
		if !ok {
			return nil, network.Errorf(network.EINVALID, "relationship %q: more than 256 relationship types", r.ID)
		}
		if id := unknownSource(s.t.attrs[rec.attrs].sources); id != "" && bad[r.ID] == nil {
			bad[r.ID] = network.Errorf(network.EINVALID, "relationship %q cites unknown source %q", r.ID, id)
		}
		if old != nil {
			if p, ok := replRel[x]; ok {
				st.replRels[p] = rec
			} else {
				replRel[x] = len(st.replRels)
				st.replRels = append(st.replRels, rec)
				st.replRelAt = append(st.replRelAt, x)
			}
			continue
		}
		// Append, then take it back if the id came earlier in d.
		st.newRels = append(st.newRels, rec)
		if x := st.newRelIdx.findOrInsert(relBase+int32(len(st.newRels)-1), newKey); x != relBase+int32(len(st.newRels)-1) {
			st.newRels = st.newRels[:len(st.newRels)-1]
			st.newRels[x-relBase] = rec
		}
	}
	for i := range d.Relationships {
		if err := bad[d.Relationships[i].ID]; err != nil {
			return nil, err
		}
	}
	return st, nil
}

func designations(r *entRec) int {
	if r.more == nil {
		return 0
	}
	return len(r.more.Designations)
}

// build fills an empty store with st, which then has only new records.
// The caller holds mu.
func (s *Store) build(st *staged) {
	for _, src := range st.sources {
		s.sources[src.ID] = src
	}
	s.ents, s.entIdx = st.newEnts, st.newEntIdx
	s.rels, s.relIdx = st.newRels, st.newRelIdx
	s.reindex()
}

// reindex rebuilds the order, the incident lists and the search index of
// records that are all live, and the counts. It puts the relationships in
// id order first, rebuilding relIdx if that moved any. The caller holds
// mu.
func (s *Store) reindex() {
	byID := func(a, b relRec) int { return strings.Compare(s.t.text.get(a.id), s.t.text.get(b.id)) }
	if !slices.IsSortedFunc(s.rels, byID) {
		slices.SortFunc(s.rels, byID)
		s.relIdx = newIDTable(len(s.rels))
		for i := range s.rels {
			s.relIdx.insert(int32(i), s.relKey)
		}
	}
	s.relsSorted = true
	s.nEnts, s.nRels, s.nDesignations, s.deadEnts, s.deadRels = len(s.ents), len(s.rels), 0, 0, 0
	all := make([]int32, len(s.ents))
	for i := range s.ents {
		all[i] = int32(i)
		s.nDesignations += designations(&s.ents[i])
	}
	s.order = nil
	s.reorder(all)
	s.buildIncident()
	s.search = newSearchIndex()
	var e network.Entity
	for i := range s.ents {
		s.t.names(&e, &s.ents[i])
		s.search.add(int32(i), &e)
	}
	s.search.finish()
}

// apply writes st into a store that is not empty. The caller holds mu.
func (s *Store) apply(st *staged) {
	touched := map[int32]bool{}
	for _, ri := range st.goneRels {
		r := &s.rels[ri]
		s.relIdx.remove(s.t.text.get(r.id), s.relKey)
		r.live = false
		s.nRels--
		s.deadRels++
		touched[r.from], touched[r.to] = true, true
	}
	for _, e := range st.goneEnts {
		r := &s.ents[e]
		s.entIdx.remove(s.t.text.get(r.id), s.entID)
		r.live = false
		s.inc[e] = nil
		s.nEnts--
		s.deadEnts++
		s.nDesignations -= designations(r)
	}
	for _, src := range st.sources {
		s.sources[src.ID] = src
	}
	var e network.Entity
	for k, x := range st.replEntAt {
		rec := &st.replEnts[k]
		s.nDesignations += designations(rec) - designations(&s.ents[x])
		if !s.t.sameNames(&s.ents[x], rec) {
			s.t.names(&e, rec)
			s.search.add(x, &e)
		}
		s.ents[x] = *rec
	}
	added := make([]int32, 0, len(st.newEnts))
	for k := range st.newEnts {
		x := int32(len(s.ents))
		rec := &st.newEnts[k]
		s.ents = append(s.ents, *rec)
		s.inc = append(s.inc, nil)
		s.entIdx.insert(x, s.entID)
		s.nEnts++
		s.nDesignations += designations(rec)
		s.t.names(&e, rec)
		s.search.add(x, &e)
		added = append(added, x)
	}
	if len(added) > 0 || len(st.goneEnts) > 0 {
		s.reorder(added)
	}
	s.search.finish()

	link := func(ri int32) {
		r := &s.rels[ri]
		s.inc[r.from] = append(s.inc[r.from], adj{other: r.to, rel: ri})
		touched[r.from] = true
		if r.to != r.from {
			s.inc[r.to] = append(s.inc[r.to], adj{other: r.from, rel: ri})
			touched[r.to] = true
		}
	}
	for k, x := range st.replRelAt {
		old, rec := s.rels[x], st.replRels[k]
		s.rels[x] = rec
		if old.from != rec.from || old.to != rec.to {
			touched[old.from], touched[old.to] = true, true
			link(x)
		}
	}
	for k := range st.newRels {
		if n := len(s.rels); s.relsSorted && n > 0 && s.t.text.get(st.newRels[k].id) <= s.relKey(int32(n-1)) {
			s.relsSorted = false
		}
		x := int32(len(s.rels))
		s.rels = append(s.rels, st.newRels[k])
		s.relIdx.insert(x, s.relKey)
		s.nRels++
		link(x)
	}
	for e := range touched {
		if s.ents[e].live {
			s.inc[e] = s.cleanList(e, s.inc[e])
		}
	}
}

// cleanList drops the entries of e's list that no longer describe a live
// relationship of e, sorts it and drops duplicates. The caller holds mu.
func (s *Store) cleanList(e int32, list []adj) []adj {
	out := list[:0]
	for _, a := range list {
		r := &s.rels[a.rel]
		if r.live && ((r.from == e && r.to == a.other) || (r.to == e && r.from == a.other)) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, s.adjCompare)
	out = slices.Compact(out)
	clear(list[len(out):])
	return out
}

// reorder drops dead entities from the id order, merges added (new
// entities) into it and renumbers the ranks. The caller holds mu.
func (s *Store) reorder(added []int32) {
	byID := func(a, b int32) int { return strings.Compare(s.entID(a), s.entID(b)) }
	slices.SortFunc(added, byID)
	kept := make([]int32, 0, len(s.order))
	for _, e := range s.order {
		if s.ents[e].live {
			kept = append(kept, e)
		}
	}
	merged := make([]int32, 0, len(kept)+len(added))
	i, j := 0, 0
	for i < len(kept) && j < len(added) {
		if byID(kept[i], added[j]) < 0 {
			merged = append(merged, kept[i])
			i++
		} else {
			merged = append(merged, added[j])
			j++
		}
	}
	merged = append(append(merged, kept[i:]...), added[j:]...)
	s.order = merged
	if cap(s.rank) >= len(s.ents) {
		s.rank = s.rank[:len(s.ents)]
	} else {
		s.rank = make([]int32, len(s.ents))
	}
	for i := range s.rank {
		s.rank[i] = -1
	}
	for p, e := range merged {
		s.rank[e] = int32(p)
	}
}

// buildIncident builds every incident list from the live relationships:
// a counting sort by owner, then one by the other endpoint's rank, so that
// each list comes out sorted without comparisons. Lists share one backing
// array, each capped so that an append copies it out. The caller holds mu.
func (s *Store) buildIncident() {
	n := len(s.ents)
	off := make([]int32, n+1)
	for i := range s.rels {
		if r := &s.rels[i]; r.live {
			off[r.from+1]++
			if r.to != r.from {
				off[r.to+1]++
			}
		}
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	pos := slices.Clone(off[:n])
	byOwner := make([]adj, off[n])
	for i := range s.rels {
		if r := &s.rels[i]; r.live {
			byOwner[pos[r.from]] = adj{other: r.to, rel: int32(i)}
			pos[r.from]++
			if r.to != r.from {
				byOwner[pos[r.to]] = adj{other: r.from, rel: int32(i)}
				pos[r.to]++
			}
		}
	}
	copy(pos, off[:n])
	final := make([]adj, off[n])
	for _, v := range s.order {
		for _, a := range byOwner[off[v]:off[v+1]] {
			final[pos[a.other]] = adj{other: v, rel: a.rel}
			pos[a.other]++
		}
	}
	if len(s.inc) != n {
		s.inc = make([][]adj, n)
	}
	for u := range n {
		list := final[off[u]:off[u+1]:off[u+1]]
		// Several relationships between the same two entities come in
		// index order; put them in id order.
		for i := 1; i < len(list); i++ {
			if list[i].other == list[i-1].other && s.relCompare(list[i].rel, list[i-1].rel) < 0 {
				slices.SortFunc(list, s.adjCompare)
				break
			}
		}
		s.inc[u] = list
	}
}

// compact drops the dead records, renumbering the live ones, and rebuilds
// every index. The caller holds mu.
func (s *Store) compact() {
	remap := make([]int32, len(s.ents))
	ents := make([]entRec, 0, s.nEnts)
	for i := range s.ents {
		remap[i] = -1
		if s.ents[i].live {
			remap[i] = int32(len(ents))
			ents = append(ents, s.ents[i])
		}
	}
	rels := make([]relRec, 0, s.nRels)
	for _, r := range s.rels {
		if r.live {
			r.from, r.to = remap[r.from], remap[r.to]
			rels = append(rels, r)
		}
	}
	// A new text holds the live records' strings only.
	var fresh text
	for i := range ents {
		r := &ents[i]
		r.id, r.name = fresh.put(s.t.text.get(r.id)), fresh.put(s.t.text.get(r.name))
	}
	for i := range rels {
		rels[i].id = fresh.put(s.t.text.get(rels[i].id))
	}
	s.t.text = fresh
	s.ents, s.rels, s.inc = ents, rels, nil
	s.entIdx = newIDTable(len(ents))
	for i := range ents {
		s.entIdx.insert(int32(i), s.entID)
	}
	s.relIdx = newIDTable(len(rels))
	for i := range rels {
		s.relIdx.insert(int32(i), s.relKey)
	}
	s.reindex()
}

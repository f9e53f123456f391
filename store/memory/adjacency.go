package memory

import (
	"container/heap"
	"context"
	"slices"

	"github.com/allegiance/allegiance/network"
)

// matcher is a RelFilter compiled against the store's tables.
type matcher struct {
	s *Store
	// types selects type indexes; nil means every type.
	types     *[256]bool
	direction network.Direction
	asOf      bool
	// first and last bound the asOf interval as YYYYMMDD integers.
	first, last int32
}

// matcher compiles f. The caller holds mu.
func (s *Store) matcher(f network.RelFilter) matcher {
	m := matcher{s: s, direction: f.Direction}
	if len(f.Types) > 0 {
		m.types = new([256]bool)
		for _, rt := range f.Types {
			for i, x := range s.t.types {
				if x == rt {
					m.types[i] = true
				}
			}
		}
	}
	if !f.AsOf.IsZero() {
		m.asOf, m.first, m.last = true, int32(f.AsOf.First()), int32(f.AsOf.Last())
	}
	return m
}

// alive reports whether entity e exists at the matcher's date.
func (m *matcher) alive(e int32) bool {
	r := &m.s.ents[e]
	return !m.asOf || (r.lo <= m.last && r.hi >= m.first)
}

// match reports whether relationship ri, seen from its endpoint e, passes
// the filter, as network.Direction.Matches, Relationship.ActiveAt and
// Entity.AliveAt define it.
func (m *matcher) match(ri, e int32) bool {
	r := &m.s.rels[ri]
	if m.types != nil && !m.types[r.typ] {
		return false
	}
	switch m.direction {
	case network.Outgoing:
		if r.from != e && !m.s.t.symmetric[r.typ] {
			return false
		}
	case network.Incoming:
		if r.to != e && !m.s.t.symmetric[r.typ] {
			return false
		}
	}
	if !m.asOf {
		return true
	}
	return r.lo <= m.last && r.hi >= m.first && m.alive(r.from) && m.alive(r.to)
}

// relationships returns copies of the relationships ris, in that order,
// the caller may keep and change. The caller holds mu.
func (s *Store) relationships(ris []int32) []*network.Relationship {
	if len(ris) == 0 {
		return nil
	}
	n := 0
	for _, ri := range ris {
		n += len(s.t.lists[s.t.attrs[s.rels[ri].attrs].sources])
	}
	recs := make([]network.Relationship, len(ris))
	strs := make([]string, 0, n)
	out := make([]*network.Relationship, len(ris))
	for i, ri := range ris {
		r := &s.rels[ri]
		a := &s.t.attrs[r.attrs]
		c := &recs[i]
		*c = network.Relationship{
			ID: r.id, Type: s.t.types[r.typ], From: s.ents[r.from].id, To: s.ents[r.to].id,
			Role: a.role, Since: s.t.dates[r.since], Until: s.t.dates[r.until],
			Qualifier: a.qualifier, Evidence: a.evidence, Note: a.note,
		}
		if src := s.t.lists[a.sources]; src != nil {
			// Each gets its own window of strs, capped so that an append
			// reallocates instead of writing into the next one's.
			lo := len(strs)
			strs = append(strs, src...)
			c.SourceIDs = strs[lo:len(strs):len(strs)]
		}
		out[i] = c
	}
	return out
}

// indexes resolves ids to the indexes of live entities, each once, marking
// them in set.
func (s *Store) indexes(ids []string, set bitset) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if e := s.lookup(id); e >= 0 && !set.has(e) {
			set.add(e)
			out = append(out, e)
		}
	}
	return out
}

func cancelled(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return network.Errorf(network.EUNAVAILABLE, "request cancelled: %v", err)
	}
	return nil
}

// Incident implements network.Adjacency.
func (s *Store) Incident(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := s.matcher(f)
	var found []int32
	for _, e := range s.indexes(ids, newBitset(len(s.ents))) {
		for _, a := range s.inc[e] {
			if m.match(a.rel, e) {
				found = append(found, a.rel)
			}
		}
	}
	slices.Sort(found)
	return s.relationships(slices.Compact(found)), nil
}

// Neighbors implements network.Adjacency. The incident lists are sorted by
// the other endpoint's id, so it merges the lists of ids in that order and
// stops after limit neighbours: a hub costs what its first limit
// neighbours cost.
func (s *Store) Neighbors(ctx context.Context, ids, exclude []string, f network.RelFilter, limit int) ([]string, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := s.matcher(f)
	skip := newBitset(len(s.ents))
	from := s.indexes(ids, skip)
	for _, id := range exclude {
		if e := s.lookup(id); e >= 0 {
			skip.add(e)
		}
	}
	var out []string
	for _, e := range s.neighbors(from, skip, &m, limit) {
		out = append(out, s.ents[e].id)
	}
	return out, nil
}

// neighbors returns, in id order, the first limit entities outside skip
// joined to one of from by a relationship m keeps. The caller holds mu.
func (s *Store) neighbors(from []int32, skip bitset, m *matcher, limit int) []int32 {
	cs := cursors{s: s}
	for _, e := range from {
		if len(s.inc[e]) > 0 {
			cs.list = append(cs.list, cursor{owner: e, adj: s.inc[e]})
		}
	}
	heap.Init(&cs)
	var out []int32
	last := int32(-1) // the last neighbour taken
	for len(cs.list) > 0 && len(out) < limit {
		// Read the run of entries of the smallest next neighbour in this
		// list, taking it at the first relationship that passes.
		c := &cs.list[0]
		o := c.adj[0].other
		want := o != last && !skip.has(o)
		i := 0
		for ; i < len(c.adj) && c.adj[i].other == o; i++ {
			if want && m.match(c.adj[i].rel, c.owner) {
				out = append(out, o)
				last, want = o, false
			}
		}
		if c.adj = c.adj[i:]; len(c.adj) == 0 {
			heap.Pop(&cs)
		} else {
			heap.Fix(&cs, 0)
		}
	}
	return out
}

// cursor walks one incident list.
type cursor struct {
	owner int32
	adj   []adj
}

// cursors is a heap of cursors ordered by the rank of their next entry's
// other endpoint.
type cursors struct {
	s    *Store
	list []cursor
}

func (h *cursors) Len() int { return len(h.list) }
func (h *cursors) Less(i, j int) bool {
	return h.s.rank[h.list[i].adj[0].other] < h.s.rank[h.list[j].adj[0].other]
}
func (h *cursors) Swap(i, j int) { h.list[i], h.list[j] = h.list[j], h.list[i] }
func (h *cursors) Push(x any)    { h.list = append(h.list, x.(cursor)) }
func (h *cursors) Pop() any {
	x := h.list[len(h.list)-1]
	h.list = h.list[:len(h.list)-1]
	return x
}

// adjCompare orders incident-list entries: by the other endpoint's id, then
// by the relationship's id.
func (s *Store) adjCompare(a, b adj) int {
	if ra, rb := s.rank[a.other], s.rank[b.other]; ra != rb {
		if ra < rb {
			return -1
		}
		return 1
	}
	return s.relCompare(a.rel, b.rel)
}

// Among implements network.Adjacency.
func (s *Store) Among(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f.Direction = network.Both // both endpoints are in ids: direction says nothing
	m := s.matcher(f)
	in := newBitset(len(s.ents))
	return s.relationships(s.among(s.indexes(ids, in), in, &m)), nil
}

// among returns the relationships m keeps whose endpoints are both in set
// (which in marks), each once: taken from its From end. A list much longer
// than set is searched for each member of set instead of read whole. The
// caller holds mu.
func (s *Store) among(set []int32, in bitset, m *matcher) []int32 {
	var byRank []int32 // set sorted by rank, made when first needed
	var found []int32
	take := func(e int32, a adj) {
		if s.rels[a.rel].from == e && m.match(a.rel, e) {
			found = append(found, a.rel)
		}
	}
	for _, e := range set {
		list := s.inc[e]
		if len(list) <= 8*len(set) {
			for _, a := range list {
				if in.has(a.other) {
					take(e, a)
				}
			}
			continue
		}
		if byRank == nil {
			byRank = slices.Clone(set)
			slices.SortFunc(byRank, func(a, b int32) int { return int(s.rank[a]) - int(s.rank[b]) })
		}
		for _, o := range byRank {
			r := s.rank[o]
			i, _ := slices.BinarySearchFunc(list, r, func(a adj, r int32) int { return int(s.rank[a.other]) - int(r) })
			for ; i < len(list) && list[i].other == o; i++ {
				take(e, list[i])
			}
		}
	}
	return found
}

// bitset is a set of entity indexes.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) add(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }

package memory

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// model is the plain reference the store must agree with: maps of whole
// records, loaded the way the Writer contract says.
type model struct {
	sources map[string]network.Source
	ents    map[string]*network.Entity
	rels    map[string]*network.Relationship
}

func newModel() *model {
	return &model{sources: map[string]network.Source{}, ents: map[string]*network.Entity{}, rels: map[string]*network.Relationship{}}
}

// load applies d, or changes nothing and returns an EINVALID error.
func (m *model) load(d *network.Dataset) error {
	ents := map[string]*network.Entity{}
	for id, e := range m.ents {
		ents[id] = e
	}
	rels := map[string]*network.Relationship{}
	for id, r := range m.rels {
		rels[id] = r
	}
	srcs := map[string]network.Source{}
	for id, s := range m.sources {
		srcs[id] = s
	}
	for _, id := range d.DeleteRelationships {
		delete(rels, id)
	}
	for _, id := range d.DeleteEntities {
		delete(ents, id)
		for rid, r := range rels {
			if r.From == id || r.To == id {
				delete(rels, rid)
			}
		}
	}
	for _, s := range d.Sources {
		srcs[s.ID] = s
	}
	for i := range d.Entities {
		ents[d.Entities[i].ID] = d.Entities[i].Clone()
	}
	for i := range d.Relationships {
		rels[d.Relationships[i].ID] = d.Relationships[i].Clone()
	}
	known := func(ids []string) bool {
		for _, id := range ids {
			if _, ok := srcs[id]; !ok {
				return false
			}
		}
		return true
	}
	for _, r := range rels {
		if ents[r.From] == nil || ents[r.To] == nil || !known(r.SourceIDs) {
			return network.Errorf(network.EINVALID, "relationship %q dangles", r.ID)
		}
	}
	for _, e := range ents {
		if !known(e.SourceIDs) {
			return network.Errorf(network.EINVALID, "entity %q cites an unknown source", e.ID)
		}
		for _, des := range e.Designations {
			if !known(des.SourceIDs) {
				return network.Errorf(network.EINVALID, "designation %q cites an unknown source", des.ID)
			}
		}
	}
	m.ents, m.rels, m.sources = ents, rels, srcs
	return nil
}

func (m *model) snapshot() *network.Dataset {
	d := &network.Dataset{Sources: []network.Source{}, Entities: []network.Entity{}, Relationships: []network.Relationship{}}
	for _, s := range m.sources {
		d.Sources = append(d.Sources, s)
	}
	for _, e := range m.ents {
		d.Entities = append(d.Entities, *e.Clone())
	}
	for _, r := range m.rels {
		d.Relationships = append(d.Relationships, *r.Clone())
	}
	d.Sort()
	return d
}

// match is the contract's reading of a filter.
func (m *model) match(r *network.Relationship, id string, f network.RelFilter) bool {
	types := network.TypeSet(f.Types)
	return (types == nil || types[r.Type]) && f.Direction.Matches(r, id) &&
		r.ActiveAt(f.AsOf) && m.ents[r.From].AliveAt(f.AsOf) && m.ents[r.To].AliveAt(f.AsOf)
}

func (m *model) relationshipsOf(id string, f network.RelFilter) []*network.Relationship {
	out := []*network.Relationship{}
	for _, r := range m.rels {
		if (r.From == id || r.To == id) && m.match(r, id, f) {
			out = append(out, r.Clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (m *model) neighbors(ids, exclude []string, f network.RelFilter, limit int) []string {
	skip := map[string]bool{}
	for _, id := range append(slices.Clone(ids), exclude...) {
		skip[id] = true
	}
	found := map[string]bool{}
	for _, id := range ids {
		if m.ents[id] == nil {
			continue
		}
		for _, r := range m.relationshipsOf(id, f) {
			if o := r.Other(id); !skip[o] {
				found[o] = true
			}
		}
	}
	var out []string
	for id := range found {
		out = append(out, id)
	}
	sort.Strings(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func (m *model) among(ids []string, f network.RelFilter) []*network.Relationship {
	in := map[string]bool{}
	for _, id := range ids {
		in[id] = true
	}
	f.Direction = network.Both
	var out []*network.Relationship
	for _, r := range m.rels {
		if in[r.From] && in[r.To] && m.match(r, r.From, f) {
			out = append(out, r.Clone())
		}
	}
	return out
}

func (m *model) incident(ids []string, f network.RelFilter) []*network.Relationship {
	seen := map[string]bool{}
	var out []*network.Relationship
	for _, id := range ids {
		if m.ents[id] == nil {
			continue
		}
		for _, r := range m.relationshipsOf(id, f) {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	return out
}

func byID(rs []*network.Relationship) []*network.Relationship {
	c := slices.Clone(rs)
	sort.Slice(c, func(i, j int) bool { return c[i].ID < c[j].ID })
	if c == nil {
		c = []*network.Relationship{}
	}
	return c
}

// randomData draws datasets over a small universe of ids, so that loads
// replace, delete, dangle and repeat ids often.
type randomData struct {
	r              *rand.Rand
	nEnts, nRels   int
	names, dates   []string
	withParallel   bool
	deleteFraction int
}

func (g *randomData) date() network.PartialDate {
	s := g.dates[g.r.IntN(len(g.dates))]
	if s == "" {
		return network.PartialDate{}
	}
	return network.MustParsePartialDate(s)
}

func (g *randomData) entity(i int) network.Entity {
	kinds := []network.EntityKind{network.Person, network.Organization}
	e := network.Entity{
		ID: fmt.Sprintf("e%02d", i), Kind: kinds[g.r.IntN(2)],
		Name:      g.names[g.r.IntN(len(g.names))] + " " + g.names[g.r.IntN(len(g.names))],
		SourceIDs: []string{fmt.Sprintf("s%d", g.r.IntN(3))},
		Born:      g.date(), Died: g.date(), Founded: g.date(), Dissolved: g.date(),
	}
	if e.Born.Before(e.Died) == false && !e.Died.IsZero() {
		e.Died = network.PartialDate{}
	}
	if e.Founded.Before(e.Dissolved) == false && !e.Dissolved.IsZero() {
		e.Dissolved = network.PartialDate{}
	}
	switch g.r.IntN(4) {
	case 0:
		e.Aliases = []string{g.names[g.r.IntN(len(g.names))]}
	case 1:
		e.Aliases = []string{}
		e.Description = "described"
		e.WeakAliases = []string{g.names[g.r.IntN(len(g.names))]}
		e.Designations = []network.Designation{{ID: e.ID + "-d", Authority: "UN", SourceIDs: []string{"s0"}}}
	}
	if g.r.IntN(60) == 0 {
		e.SourceIDs = []string{"s-unknown"}
	}
	return e
}

func (g *randomData) rel(i int) network.Relationship {
	r := network.Relationship{
		ID: fmt.Sprintf("r%03d", i), Type: network.RelTypes[g.r.IntN(len(network.RelTypes))],
		From: fmt.Sprintf("e%02d", g.r.IntN(g.nEnts)), To: fmt.Sprintf("e%02d", g.r.IntN(g.nEnts)),
		Since: g.date(), Qualifier: []string{"", "reportedly"}[g.r.IntN(2)],
		SourceIDs: []string{fmt.Sprintf("s%d", g.r.IntN(3))},
	}
	if u := g.date(); !u.IsZero() && (r.Since.IsZero() || !u.Before(r.Since)) {
		r.Until = u
	}
	if g.r.IntN(3) == 0 {
		r.SourceIDs = append(r.SourceIDs, "s1")
	}
	return r
}

// dataset draws one load: some sources, entities, relationships and
// deletions, possibly with an id twice. Relationships join entities of m
// or of the load, but now and then one dangles.
func (g *randomData) dataset(m *model) *network.Dataset {
	d := &network.Dataset{}
	for i := range 3 {
		if len(m.sources) < 3 || g.r.IntN(2) == 0 {
			d.Sources = append(d.Sources, network.Source{ID: fmt.Sprintf("s%d", i), Title: fmt.Sprintf("t%d", g.r.IntN(3))})
		}
	}
	var ends []string
	for id := range m.ents {
		ends = append(ends, id)
	}
	for range g.r.IntN(g.nEnts) {
		e := g.entity(g.r.IntN(g.nEnts))
		d.Entities = append(d.Entities, e)
		ends = append(ends, e.ID)
	}
	sort.Strings(ends)
	if len(ends) > 0 {
		for range g.r.IntN(g.nRels) {
			r := g.rel(g.r.IntN(g.nRels))
			r.From, r.To = ends[g.r.IntN(len(ends))], ends[g.r.IntN(len(ends))]
			if g.r.IntN(100) == 0 {
				r.To = "e-dangling"
			}
			d.Relationships = append(d.Relationships, r)
		}
	}
	if g.r.IntN(g.deleteFraction) == 0 {
		for range 1 + g.r.IntN(4) {
			d.DeleteEntities = append(d.DeleteEntities, fmt.Sprintf("e%02d", g.r.IntN(g.nEnts+2)))
		}
	}
	if g.r.IntN(g.deleteFraction) == 0 {
		for range 1 + g.r.IntN(8) {
			d.DeleteRelationships = append(d.DeleteRelationships, fmt.Sprintf("r%03d", g.r.IntN(g.nRels+2)))
		}
	}
	return d
}

func newRandomData(seed uint64) *randomData {
	return &randomData{
		r: rand.New(rand.NewPCG(seed, 7)), nEnts: 24, nRels: 70,
		names:          []string{"Ansar", "Dine", "Qaida", "Ghaly", "Kouffa", "Nusrat", "Islam", "Jama'at", "Macina", "Mourabitoun"},
		dates:          []string{"", "", "2001", "2005-06", "2010", "2012-12-31", "2015", "2017-03-02", "2020"},
		deleteFraction: 3,
	}
}

// filters are the filters the model checks compare the store on.
var filters = []network.RelFilter{
	{},
	{Direction: network.Outgoing},
	{Direction: network.Incoming, AsOf: network.MustParsePartialDate("2012")},
	{Types: []network.RelType{network.MemberOf, network.AlliedWith, network.RivalOf}, Direction: network.Both},
	{Types: []network.RelType{network.MergedInto}, AsOf: network.MustParsePartialDate("2017-03")},
	{AsOf: network.MustParsePartialDate("2010-01-15")},
}

// agree checks the store against the model: the snapshot, every
// adjacency call from every entity, and the store's own invariants.
func agree(t *testing.T, step string, s *Store, m *model, r *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	got, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatalf("%s: Snapshot: %v", step, err)
	}
	if want := m.snapshot(); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Snapshot: %s", step, datasetDiff(got, want))
	}
	c, _ := s.Counts(ctx)
	if want := m.snapshot().Counts(); c != want {
		t.Fatalf("%s: Counts: got %+v, want %+v", step, c, want)
	}
	checkInvariants(t, step, s)
	var ids []string
	for id := range m.ents {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	ids = append(ids, "e-unknown")
	for fi, f := range filters {
		for _, id := range ids {
			rs, _ := s.RelationshipsOf(ctx, []string{id}, f)
			if want := m.relationshipsOf(id, f); !reflect.DeepEqual(rs[0], want) {
				t.Fatalf("%s: RelationshipsOf(%s, filter %d): got %v, want %v", step, id, fi, relIDs(rs[0]), relIDs(want))
			}
		}
		for range 6 {
			set := pick(r, ids, 1+r.IntN(6))
			exclude := pick(r, ids, r.IntN(4))
			limit := 1 + r.IntN(12)
			nb, _ := s.Neighbors(ctx, set, exclude, f, limit)
			if want := m.neighbors(set, exclude, f, limit); !slices.Equal(nb, want) {
				t.Fatalf("%s: Neighbors(%v, exclude %v, filter %d, limit %d): got %v, want %v", step, set, exclude, fi, limit, nb, want)
			}
			am, _ := s.Among(ctx, set, f)
			if got, want := byID(am), byID(m.among(set, f)); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: Among(%v, filter %d): got %v, want %v", step, set, fi, relIDs(got), relIDs(want))
			}
			inc, _ := s.Incident(ctx, set, f)
			if got, want := byID(inc), byID(m.incident(set, f)); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: Incident(%v, filter %d): got %v, want %v", step, set, fi, relIDs(got), relIDs(want))
			}
		}
	}
}

func pick(r *rand.Rand, ids []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = ids[r.IntN(len(ids))]
	}
	return out
}

func relIDs(rs []*network.Relationship) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// checkInvariants checks the store's indexes against its records.
func checkInvariants(t *testing.T, step string, s *Store) {
	t.Helper()
	s.mu.RLock()
	defer s.mu.RUnlock()
	want := map[int32][]adj{}
	for i, r := range s.rels {
		if !r.live {
			continue
		}
		if got := s.relIdx.find(s.relKey(int32(i)), s.relKey); got != int32(i) {
			t.Fatalf("%s: relIdx.find(%s): got %d, want %d", step, s.relKey(int32(i)), got, i)
		}
		want[r.from] = append(want[r.from], adj{r.to, int32(i)})
		if r.to != r.from {
			want[r.to] = append(want[r.to], adj{r.from, int32(i)})
		}
	}
	var order []string
	for i, e := range s.ents {
		id := s.entID(int32(i))
		if !e.live {
			if len(s.inc[i]) > 0 {
				t.Fatalf("%s: dead entity %s has an incident list", step, id)
			}
			continue
		}
		order = append(order, id)
		if got := s.entIdx.find(id, s.entID); got != int32(i) {
			t.Fatalf("%s: entIdx.find(%s): got %d, want %d", step, id, got, i)
		}
		w := want[int32(i)]
		slices.SortFunc(w, s.adjCompare)
		if !slices.Equal(s.inc[i], w) && !(len(w) == 0 && len(s.inc[i]) == 0) {
			t.Fatalf("%s: incident list of %s: got %v, want %v", step, id, s.inc[i], w)
		}
	}
	sort.Strings(order)
	for p, e := range s.order {
		if s.entID(e) != order[p] || s.rank[e] != int32(p) {
			t.Fatalf("%s: order[%d] is %s rank %d, want %s", step, p, s.entID(e), s.rank[e], order[p])
		}
	}
	if len(s.order) != len(order) || s.relIdx.live != s.nRels {
		t.Fatalf("%s: %d ordered, %d in relIdx; want %d and %d", step, len(s.order), s.relIdx.live, len(order), s.nRels)
	}
}

// TestLoadMatchesModel runs random sequences of loads (replacing records,
// moving relationships between entities, deleting, repeating ids within a
// load, dangling) against the store and the model, with compactions in
// between, and compares everything after each.
func TestLoadMatchesModel(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			g := newRandomData(seed)
			s, m := New(), newModel()
			ctx := context.Background()
			failed := 0
			for step := range 25 {
				d := g.dataset(m)
				name := fmt.Sprintf("step %d", step)
				errM := m.load(d)
				_, errS := s.Load(ctx, d)
				var e *network.Error
				if (errM == nil) != (errS == nil) || (errS != nil && (!errors.As(errS, &e) || e.Code != network.EINVALID)) {
					t.Fatalf("%s: Load: got error %v, want %v", name, errS, errM)
				}
				if errS != nil {
					failed++
				}
				if step%7 == 6 {
					s.mu.Lock()
					s.compact()
					s.mu.Unlock()
					name += " (compacted)"
				}
				agree(t, name, s, m, g.r)
			}
			if failed == 0 || failed > 18 || len(m.rels) == 0 {
				t.Fatalf("%d of 25 loads failed, %d relationships at the end: the sequence tests too little", failed, len(m.rels))
			}
			// Loading the same dataset twice changes nothing.
			again, _ := s.Snapshot(ctx)
			if _, err := s.Load(ctx, again); err != nil {
				t.Fatalf("reloading the snapshot: %v", err)
			}
			agree(t, "reloaded", s, m, g.r)
		})
	}
}

// TestCompactionAfterDeletes deletes most of a loaded network so that Load
// compacts, and checks the survivors.
func TestCompactionAfterDeletes(t *testing.T) {
	ctx := context.Background()
	g := newRandomData(99)
	g.nEnts, g.nRels = 3000, 9000
	d := &network.Dataset{Sources: []network.Source{{ID: "s0"}, {ID: "s1"}, {ID: "s2"}}}
	for i := range g.nEnts {
		e := g.entity(i)
		e.ID, e.SourceIDs = fmt.Sprintf("e%04d", i), []string{"s0"}
		d.Entities = append(d.Entities, e)
	}
	for i := range g.nRels {
		r := g.rel(i)
		r.ID = fmt.Sprintf("r%05d", i)
		r.From, r.To = fmt.Sprintf("e%04d", g.r.IntN(g.nEnts)), fmt.Sprintf("e%04d", g.r.IntN(g.nEnts))
		d.Relationships = append(d.Relationships, r)
	}
	s, m := New(), newModel()
	if _, err := s.Load(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := m.load(d); err != nil {
		t.Fatal(err)
	}
	del := &network.Dataset{}
	for i := 0; i < g.nEnts; i++ {
		if i%4 != 0 {
			del.DeleteEntities = append(del.DeleteEntities, fmt.Sprintf("e%04d", i))
		}
	}
	if _, err := s.Load(ctx, del); err != nil {
		t.Fatal(err)
	}
	if err := m.load(del); err != nil {
		t.Fatal(err)
	}
	if s.deadEnts != 0 || len(s.ents) != s.nEnts {
		t.Errorf("after deleting 3/4 of the entities: got %d dead of %d records, want a compacted store", s.deadEnts, len(s.ents))
	}
	got, _ := s.Snapshot(ctx)
	if want := m.snapshot(); !reflect.DeepEqual(got, want) {
		t.Errorf("Snapshot after compaction: %s", datasetDiff(got, want))
	}
	checkInvariants(t, "compacted", s)
}

// The store hands out copies: changing any part of a result, including
// the fields kept apart from the compact record and the source lists
// relationships share, changes nothing.
func TestResultsAreCopies(t *testing.T) {
	ctx := context.Background()
	s := New()
	d := newRandomData(5).dataset(newModel())
	d.Sources = []network.Source{{ID: "s0"}, {ID: "s1"}, {ID: "s2"}}
	d.DeleteEntities, d.DeleteRelationships = nil, nil
	d.Entities = []network.Entity{
		{ID: "a", Kind: network.Person, Name: "A", Aliases: []string{"Alpha"}, SourceIDs: []string{"s0"},
			Designations: []network.Designation{{ID: "a-d", SourceIDs: []string{"s0"}}}, Notes: []string{"n"}},
		{ID: "b", Kind: network.Organization, Name: "B", SourceIDs: []string{"s0"}},
	}
	d.Relationships = []network.Relationship{
		{ID: "r1", Type: network.MemberOf, From: "a", To: "b", SourceIDs: []string{"s0", "s1"}},
		{ID: "r2", Type: network.LeaderOf, From: "a", To: "b", SourceIDs: []string{"s0", "s1"}},
	}
	if _, err := s.Load(ctx, d); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Snapshot(ctx)
	es, _ := s.Entities(ctx, []string{"a"})
	es[0].Aliases[0], es[0].Designations[0].SourceIDs[0], es[0].Notes[0], es[0].SourceIDs[0] = "x", "x", "x", "x"
	rs, _ := s.RelationshipsOf(ctx, []string{"a"}, network.RelFilter{})
	rs[0][0].SourceIDs[0] = "x"
	rs[0][0].SourceIDs = append(rs[0][0].SourceIDs, "y")
	inc, _ := s.Incident(ctx, []string{"a"}, network.RelFilter{})
	inc[0].SourceIDs[1] = "x"
	am, _ := s.Among(ctx, []string{"a", "b"}, network.RelFilter{})
	am[0].SourceIDs[0] = "x"
	snap, _ := s.Snapshot(ctx)
	snap.Relationships[0].SourceIDs[0] = "x"
	hits, _ := s.Search(ctx, network.SearchQuery{Query: "alpha", Limit: 1})
	hits[0].Entity.Aliases[0] = "x"
	after, _ := s.Snapshot(ctx)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after changing results: got %+v, want %+v", after, before)
	}
	if rs[0][1].SourceIDs[0] != "s0" {
		t.Errorf("relationship r2's sources after changing r1's: got %v, want [s0 s1]", rs[0][1].SourceIDs)
	}
}

// Interning keys dates by their first and last days: no two partial dates
// (years, months, days, and the zero date) may share a key.
func TestDateKeysAreDistinct(t *testing.T) {
	seen := map[int64]string{dateKey(network.PartialDate{}): "zero"}
	add := func(s string) {
		k := dateKey(network.MustParsePartialDate(s))
		if other, ok := seen[k]; ok {
			t.Fatalf("dateKey(%s) = dateKey(%s) = %d, want them distinct", s, other, k)
		}
		seen[k] = s
	}
	for y := 1999; y <= 2001; y++ {
		add(fmt.Sprintf("%04d", y))
		for m := 1; m <= 12; m++ {
			add(fmt.Sprintf("%04d-%02d", y, m))
			for d := 1; d <= 28; d++ {
				add(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
		add(fmt.Sprintf("%04d-12-31", y))
		add(fmt.Sprintf("%04d-01-31", y))
	}
	add("0001")
	add("9999-12-31")
}

// datasetDiff describes the first difference between two sorted datasets.
func datasetDiff(got, want *network.Dataset) string {
	for i := range min(len(got.Entities), len(want.Entities)) {
		if g, w := got.Entities[i], want.Entities[i]; !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("entity %d: got %#v, want %#v", i, g, w)
		}
	}
	for i := range min(len(got.Relationships), len(want.Relationships)) {
		if g, w := got.Relationships[i], want.Relationships[i]; !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("relationship %d: got %#v, want %#v", i, g, w)
		}
	}
	return fmt.Sprintf("got %d entities, %d relationships, sources %v; want %d, %d, %v",
		len(got.Entities), len(got.Relationships), got.Sources, len(want.Entities), len(want.Relationships), want.Sources)
}

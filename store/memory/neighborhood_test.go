package memory

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/allegiance/allegiance/bench/gen"
	"github.com/allegiance/allegiance/network"
)

// checkNeighborhoods compares Neighborhood with network.BuildNeighborhood
// over the store's Adjacency for each query.
func checkNeighborhoods(t *testing.T, s *Store, qs []network.NeighborhoodQuery) {
	t.Helper()
	ctx := context.Background()
	truncated, edges := 0, 0
	for _, q := range qs {
		got, errGot := s.Neighborhood(ctx, q)
		want, errWant := network.BuildNeighborhood(ctx, s, q)
		if network.ErrorCode(errGot) != network.ErrorCode(errWant) {
			t.Fatalf("Neighborhood(%+v): got error %v, want %v", q, errGot, errWant)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Neighborhood(%s, depth %d, limit %d, types %v, asOf %q):\n got %s\nwant %s",
				q.ID, q.Depth, q.Limit, q.Types, q.AsOf, subgraphShape(got), subgraphShape(want))
		}
		if want != nil && want.Truncated {
			truncated++
		}
		if want != nil && len(want.Edges) > 1 {
			edges++
		}
	}
	if truncated == 0 || edges < len(qs)/3 {
		t.Errorf("%d truncated and %d with edges of %d: the queries test too little", truncated, edges, len(qs))
	}
}

func subgraphShape(g *network.Subgraph) string {
	if g == nil {
		return "<nil>"
	}
	var nodes []string
	for _, n := range g.Nodes {
		nodes = append(nodes, n.ID)
	}
	return fmt.Sprintf("nodes %v edges %v truncated %v", nodes, relIDs(g.Edges), g.Truncated)
}

// Neighborhood over entity indexes gives what the shared algorithm gives
// over the Adjacency, on the synthetic network of scale S (hubs included)
// and on small dense graphs.
func TestNeighborhoodMatchesSharedAlgorithm(t *testing.T) {
	t.Run("dataset=S", func(t *testing.T) {
		d := generated(t, gen.S)
		s := loaded(t, d)
		r := rand.New(rand.NewPCG(21, 5))
		var qs []network.NeighborhoodQuery
		for i := range 120 {
			f := pathFilters[i%len(pathFilters)]
			id := d.Entities[r.IntN(len(d.Entities))].ID
			if i%10 == 0 {
				id = gen.OrgID(r.IntN(3)) // a hub
			}
			q := network.NeighborhoodQuery{ID: id, Depth: 1 + r.IntN(3), Limit: []int{5, 50, 500}[r.IntN(3)], Types: f.types}
			if f.asOf != "" {
				q.AsOf = network.MustParsePartialDate(f.asOf)
			}
			qs = append(qs, q)
		}
		qs = append(qs, network.NeighborhoodQuery{ID: "nobody", Depth: 1, Limit: 5}, network.NeighborhoodQuery{ID: "org-0000000", Depth: 9, Limit: 5})
		checkNeighborhoods(t, s, qs)
	})
	t.Run("dataset=random", func(t *testing.T) {
		g := newRandomData(3)
		m := newModel()
		s := New()
		for range 6 {
			d := g.dataset(m)
			if m.load(d) == nil {
				if _, err := s.Load(context.Background(), d); err != nil {
					t.Fatal(err)
				}
			}
		}
		var qs []network.NeighborhoodQuery
		for id := range m.ents {
			for depth := 1; depth <= 3; depth++ {
				for _, limit := range []int{2, 6, 40} {
					for _, f := range filters {
						qs = append(qs, network.NeighborhoodQuery{ID: id, Depth: depth, Limit: limit, Types: f.Types, AsOf: f.AsOf})
					}
				}
			}
		}
		checkNeighborhoods(t, s, qs)
	})
}

// Entities copied out together (by Neighborhood, Entities and ShortestPath)
// are whole copies: every field comes back, whatever fields Entity gains;
// every list is the caller's own; and appending to one does not write into
// the next one's.
func TestEntitiesCopiedTogetherAreCopies(t *testing.T) {
	ctx := context.Background()
	d := &network.Dataset{Sources: []network.Source{{ID: "s0"}, {ID: "s1"}}}
	for i, id := range []string{"a", "b", "c", "d"} {
		var e network.Entity
		if i < 3 {
			fillAll(reflect.ValueOf(&e).Elem(), id)
		}
		e.ID, e.Kind, e.Name = id, network.Person, "Name "+id
		if i%2 == 1 {
			e.Kind = network.Organization
		}
		d.Entities = append(d.Entities, e)
	}
	d.Entities[2].Designations = []network.Designation{} // empty, not nil
	for i, ft := range [][2]string{{"a", "b"}, {"b", "c"}, {"c", "d"}, {"a", "c"}} {
		d.Relationships = append(d.Relationships, network.Relationship{
			ID: fmt.Sprintf("r%d", i), Type: network.AssociatedWith, From: ft[0], To: ft[1], SourceIDs: []string{"s0", "s1"},
		})
	}
	s := loaded(t, d)
	es, _ := s.Entities(ctx, []string{"a", "b", "c", "d"})
	for i, e := range es {
		if want := d.Entities[i].Clone(); !reflect.DeepEqual(e, want) {
			t.Errorf("Entities(%s): got %+v, want %+v", want.ID, *e, *want)
		}
	}
	// The expected values are cloned by network, not by the store, lest
	// they share what the store wrongly shares.
	before, _ := s.Snapshot(ctx)
	for i := range before.Entities {
		before.Entities[i] = *before.Entities[i].Clone()
	}
	results := map[string]func() []*network.Entity{
		"Neighborhood": func() []*network.Entity {
			g, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "a", Depth: 2, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return g.Nodes
		},
		"Entities": func() []*network.Entity {
			es, _ := s.Entities(ctx, []string{"d", "a", "nobody", "c", "b"})
			return append(es[:2:2], es[3:]...)
		},
		"ShortestPath": func() []*network.Entity {
			p, err := s.ShortestPath(ctx, network.PathQuery{From: "a", To: "d", MaxDepth: 4})
			if err != nil || p == nil {
				t.Fatalf("ShortestPath: %v, %v", p, err)
			}
			return p.Nodes
		},
	}
	for name, get := range results {
		got, want := get(), get()
		for i, e := range want {
			want[i] = e.Clone()
		}
		if len(got) < 3 {
			t.Fatalf("%s: got %d entities, want at least 3", name, len(got))
		}
		for _, e := range got {
			appendAll(reflect.ValueOf(e).Elem())
		}
		for i, e := range got {
			if !prefixEqual(reflect.ValueOf(*e), reflect.ValueOf(*want[i])) {
				t.Errorf("%s: after appending to every list of every result, result %d is %+v, want %+v", name, i, *e, *want[i])
			}
		}
		// Appending copies a list out, so overwrite a fresh result.
		for _, e := range get() {
			overwriteAll(reflect.ValueOf(e).Elem())
		}
		for i, e := range get() {
			if !reflect.DeepEqual(e, want[i]) {
				t.Errorf("%s after changing the results: result %d is %+v, want %+v", name, i, *e, *want[i])
			}
		}
	}
	if after, _ := s.Snapshot(ctx); !reflect.DeepEqual(before, after) {
		t.Errorf("Snapshot after changing results: got %+v, want %+v", after, before)
	}
}

// fillAll sets every exported string in v to a value naming it, every
// number and flag to one that is not zero, and gives every list two such
// elements; source lists cite s0 and s1.
func fillAll(v reflect.Value, tag string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(tag)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(7)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillAll(v.Index(i), fmt.Sprintf("%s-%d", tag, i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				if f.Name == "SourceIDs" {
					v.Field(i).Set(reflect.ValueOf([]string{"s0", "s1"}))
				} else {
					fillAll(v.Field(i), tag+"."+f.Name)
				}
			}
		}
	}
}

// appendAll appends a zero element to every list in v, those in list
// elements first.
func appendAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.Slice:
		for i := range v.Len() {
			appendAll(v.Index(i))
		}
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				appendAll(v.Field(i))
			}
		}
	}
}

// overwriteAll sets every exported string in v to "x".
func overwriteAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Slice:
		for i := range v.Len() {
			overwriteAll(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				overwriteAll(v.Field(i))
			}
		}
	}
}

// prefixEqual reports whether got, whose lists appendAll lengthened,
// starts as want does.
func prefixEqual(got, want reflect.Value) bool {
	switch got.Kind() {
	case reflect.Slice:
		if got.Len() != want.Len()+1 {
			return false
		}
		for i := range want.Len() {
			if !prefixEqual(got.Index(i), want.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range got.NumField() {
			if got.Type().Field(i).IsExported() && !prefixEqual(got.Field(i), want.Field(i)) {
				return false
			}
		}
		return true
	default:
		if !got.CanInterface() {
			return true
		}
		return reflect.DeepEqual(got.Interface(), want.Interface())
	}
}

// sortIndexes sorts as slices.Sort does, short slices and long, small
// values and large.
func TestSortIndexes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 255, 256, 257, 3000} {
		for _, top := range []int32{1, 300, 1 << 20, math.MaxInt32} {
			a := make([]int32, n)
			for i := range a {
				a[i] = r.Int32N(top)
			}
			want := slices.Sorted(slices.Values(a))
			if sortIndexes(a); !slices.Equal(a, want) {
				t.Errorf("sortIndexes of %d values below %d: got %v, want %v", n, top, a, want)
			}
		}
	}
}

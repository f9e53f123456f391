package memory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
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

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

func pathShape(p *network.Path) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%v via %v", p.NodeIDs(), relIDs(p.Edges))
}

// checkPaths compares ShortestPath with network.BuildShortestPath over the
// store's Adjacency for each query.
func checkPaths(t *testing.T, s *Store, qs []network.PathQuery) {
	t.Helper()
	ctx := context.Background()
	found := 0
	for _, q := range qs {
		got, errGot := s.ShortestPath(ctx, q)
		want, errWant := network.BuildShortestPath(ctx, s, q)
		if network.ErrorCode(errGot) != network.ErrorCode(errWant) {
			t.Fatalf("ShortestPath(%+v): got error %v, want %v", q, errGot, errWant)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ShortestPath(%s → %s, types %v, maxDepth %d, asOf %q):\n got %s\nwant %s",
				q.From, q.To, q.Types, q.MaxDepth, q.AsOf, pathShape(got), pathShape(want))
		}
		if want != nil && len(want.Edges) > 1 {
			found++
		}
	}
	if found < len(qs)/4 {
		t.Errorf("only %d of %d queries found a path of two edges or more: the queries test too little", found, len(qs))
	}
}

var pathFilters = []struct {
	types []network.RelType
	asOf  string
}{
	{nil, ""},
	{nil, "2015-06"},
	{[]network.RelType{network.MemberOf, network.LeaderOf, network.PledgedAllegianceTo}, ""},
	{[]network.RelType{network.AlliedWith, network.RivalOf, network.Supported, network.MetWith, network.FamilyOf}, "2010"},
}

// ShortestPath searching from both ends gives what the shared one-sided
// search gives, on the synthetic network of scale S.
func TestShortestPathMatchesSharedAlgorithm(t *testing.T) {
	d := generated(t, gen.S)
	s := loaded(t, d)
	r := rand.New(rand.NewPCG(11, 13))
	var qs []network.PathQuery
	for i := range 240 {
		f := pathFilters[i%len(pathFilters)]
		q := network.PathQuery{
			From: d.Entities[r.IntN(len(d.Entities))].ID, To: d.Entities[r.IntN(len(d.Entities))].ID,
			Types: f.types, MaxDepth: 1 + r.IntN(network.MaxPathDepth),
		}
		if f.asOf != "" {
			q.AsOf = network.MustParsePartialDate(f.asOf)
		}
		if i%40 == 0 {
			q.To = q.From
		}
		qs = append(qs, q)
	}
	qs = append(qs, network.PathQuery{From: "org-0000000", To: "nobody", MaxDepth: 3}, network.PathQuery{From: "nobody", To: "org-0000000", MaxDepth: 3})
	checkPaths(t, s, qs)
}

// On small dense graphs with parallel edges and self-loops, where many
// shortest paths tie, both searches pick the same one for every pair.
func TestShortestPathTies(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 17))
			d := &network.Dataset{Sources: []network.Source{{ID: "s"}}}
			n := 14 + r.IntN(10)
			for _, i := range r.Perm(n) {
				d.Entities = append(d.Entities, network.Entity{ID: fmt.Sprintf("n%02d", i), Kind: network.Organization, Name: "N", SourceIDs: []string{"s"}})
			}
			for i := range n + r.IntN(2*n) {
				rel := network.Relationship{
					ID: fmt.Sprintf("r%03d", r.IntN(1000)), Type: network.RelTypes[r.IntN(len(network.RelTypes))],
					From: fmt.Sprintf("n%02d", r.IntN(n)), To: fmt.Sprintf("n%02d", r.IntN(n)), SourceIDs: []string{"s"},
				}
				if i%5 == 0 {
					rel.Until = network.MustParsePartialDate("2005")
				}
				d.Relationships = append(d.Relationships, rel)
			}
			s := loaded(t, d)
			var qs []network.PathQuery
			for _, a := range d.Entities {
				for _, b := range d.Entities {
					for depth := 1; depth <= 5; depth += 2 {
						qs = append(qs, network.PathQuery{From: a.ID, To: b.ID, MaxDepth: depth})
					}
					qs = append(qs, network.PathQuery{From: a.ID, To: b.ID, MaxDepth: 6, AsOf: network.MustParsePartialDate("2010")})
				}
			}
			checkPaths(t, s, qs)
		})
	}
}

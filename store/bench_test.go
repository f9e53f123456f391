package store_test

import (
	"context"
	"testing"

	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// benchQueries are the contract queries on the bundled dataset, from an
// ordinary node and from the busiest one.
var benchQueries = []struct {
	name string
	run  func(ctx context.Context, s network.Store) error
}{
	{"entity", func(ctx context.Context, s network.Store) error {
		_, err := s.Entities(ctx, []string{"iyad-ag-ghaly"})
		return err
	}},
	{"relationships", func(ctx context.Context, s network.Store) error {
		_, err := s.RelationshipsOf(ctx, []string{"iyad-ag-ghaly"}, network.RelFilter{})
		return err
	}},
	{"relationships_asOf", func(ctx context.Context, s network.Store) error {
		_, err := s.RelationshipsOf(ctx, []string{"iyad-ag-ghaly"}, network.RelFilter{AsOf: date("2012-12-31")})
		return err
	}},
	{"search", func(ctx context.Context, s network.Store) error {
		_, err := s.Search(ctx, network.SearchQuery{Query: "Jama'at Nusrat al-Islam wal-Muslimin", Limit: 10})
		return err
	}},
	{"neighborhood_depth1", func(ctx context.Context, s network.Store) error {
		_, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "iyad-ag-ghaly", Depth: 1, Limit: 500})
		return err
	}},
	{"neighborhood_depth2", func(ctx context.Context, s network.Store) error {
		_, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "iyad-ag-ghaly", Depth: 2, Limit: 500})
		return err
	}},
	{"shortestPath", func(ctx context.Context, s network.Store) error {
		_, err := s.ShortestPath(ctx, network.PathQuery{From: "amadou-kouffa", To: "ayman-al-zawahiri", MaxDepth: 6})
		return err
	}},
	{"allegianceChains", func(ctx context.Context, s network.Store) error {
		_, err := s.AllegianceChains(ctx, network.ChainQuery{From: "iyad-ag-ghaly", MaxDepth: 8})
		return err
	}},
	{"lineage", func(ctx context.Context, s network.Store) error {
		_, err := s.Lineage(ctx, network.LineageQuery{ID: "jnim", Direction: network.BothLineages})
		return err
	}},
}

func BenchmarkQueries(b *testing.B) {
	for _, ns := range both(b) {
		for _, q := range benchQueries {
			b.Run(q.name+"/"+ns.name, func(b *testing.B) {
				ctx := context.Background()
				for b.Loop() {
					if err := q.run(ctx, ns.store); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	ds := bundled(b)
	b.Run("store=memory", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			if _, err := memory.New().Load(ctx, ds); err != nil {
				b.Fatal(err)
			}
		}
	})
	n := loadedNeo4j(b)
	ctx := context.Background()
	// Into an empty database: the first load.
	b.Run("store=neo4j/empty", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if err := n.Reset(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := n.Load(ctx, ds); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Into a database that already holds it: a reload that changes nothing.
	b.Run("store=neo4j/reload", func(b *testing.B) {
		for b.Loop() {
			if _, err := n.Load(ctx, ds); err != nil {
				b.Fatal(err)
			}
		}
	})
}

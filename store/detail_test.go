package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// summaryOf keeps the fields network.SummaryDetail promises.
func summaryOf(e *network.Entity) network.Entity {
	if e == nil {
		return network.Entity{}
	}
	return network.Entity{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: e.Aliases, Description: e.Description,
		Born: e.Born, Died: e.Died, Founded: e.Founded, Dissolved: e.Dissolved}
}

func summaries(es []*network.Entity) []network.Entity {
	out := make([]network.Entity, len(es))
	for i, e := range es {
		out[i] = summaryOf(e)
	}
	return out
}

// A traversal asked for SummaryDetail returns the same nodes and edges as
// with FullDetail, with at least the summary fields of each node.
func TestSummaryDetail(t *testing.T) {
	ctx := context.Background()
	forEachStore(t, func(t *testing.T, s network.Store) {
		type answer struct {
			nodes []*network.Entity
			edges []*network.Relationship
		}
		cases := []struct {
			name string
			run  func(d network.Detail) (answer, error)
		}{
			{"Neighborhood", func(d network.Detail) (answer, error) {
				g, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "jnim", Depth: 2, Limit: 60, Detail: d})
				if err != nil {
					return answer{}, err
				}
				return answer{g.Nodes, g.Edges}, nil
			}},
			{"Neighborhood as of", func(d network.Detail) (answer, error) {
				g, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: "iyad-ag-ghaly", Depth: 2, Limit: 60, AsOf: date("2013"), Detail: d})
				if err != nil {
					return answer{}, err
				}
				return answer{g.Nodes, g.Edges}, nil
			}},
			{"Lineage", func(d network.Detail) (answer, error) {
				g, err := s.Lineage(ctx, network.LineageQuery{ID: "jnim", Direction: network.BothLineages, Detail: d})
				if err != nil {
					return answer{}, err
				}
				return answer{g.Nodes, g.Edges}, nil
			}},
			{"ShortestPath", func(d network.Detail) (answer, error) {
				p, err := s.ShortestPath(ctx, network.PathQuery{From: "amadou-kouffa", To: "al-qaeda", MaxDepth: 6, Detail: d})
				if err != nil || p == nil {
					return answer{}, err
				}
				return answer{p.Nodes, p.Edges}, nil
			}},
			{"AllegianceChains", func(d network.Detail) (answer, error) {
				ps, err := s.AllegianceChains(ctx, network.ChainQuery{From: "iyad-ag-ghaly", MaxDepth: 8, Detail: d})
				var a answer
				for _, p := range ps {
					a.nodes = append(a.nodes, p.Nodes...)
					a.edges = append(a.edges, p.Edges...)
				}
				return a, err
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				full, err := c.run(network.FullDetail)
				if err != nil {
					t.Fatal(err)
				}
				sum, err := c.run(network.SummaryDetail)
				if err != nil {
					t.Fatal(err)
				}
				if len(full.nodes) == 0 {
					t.Fatalf("%s: got no nodes, want some to compare", c.name)
				}
				if got, want := summaries(sum.nodes), summaries(full.nodes); !reflect.DeepEqual(got, want) {
					t.Errorf("%s with SummaryDetail: got nodes\n%+v\nwant\n%+v", c.name, got, want)
				}
				if !reflect.DeepEqual(sum.edges, full.edges) {
					t.Errorf("%s with SummaryDetail: got edges %v, want %v", c.name, relIDs(sum.edges), relIDs(full.edges))
				}
			})
		}
	})
}

// Each store's own NeighborhoodSummary (both implement
// network.NeighborhoodSummarizer) answers what Summarize makes of
// Neighborhood's answer, errors included, and the summary carries the
// sources' hedges.
func TestNeighborhoodSummary(t *testing.T) {
	ctx := context.Background()
	forEachStore(t, func(t *testing.T, s network.Store) {
		ns, ok := s.(network.NeighborhoodSummarizer)
		if !ok {
			t.Fatalf("%T does not implement network.NeighborhoodSummarizer", s)
		}
		hedged := false
		for _, q := range []network.NeighborhoodQuery{
			{ID: "jnim", Depth: 2, Limit: 60},
			{ID: "iyad-ag-ghaly", Depth: 3, Limit: 500},
			{ID: "iyad-ag-ghaly", Depth: 2, Limit: 60, AsOf: date("2013")},
			{ID: "aqim", Depth: 2, Limit: 8, Types: []network.RelType{network.PledgedAllegianceTo, network.MergedInto}},
			{ID: "jnim", Depth: 1, Limit: 50, AsOf: date("1990")}, // before JNIM existed: empty
			{ID: "nobody", Depth: 1, Limit: 5},
			{ID: "jnim", Depth: 99, Limit: 5},
		} {
			g, wantErr := s.Neighborhood(ctx, q)
			got, err := ns.NeighborhoodSummary(ctx, q)
			if network.ErrorCode(err) != network.ErrorCode(wantErr) || (err == nil) != (wantErr == nil) {
				t.Errorf("NeighborhoodSummary(%+v): got error %v, want %v", q, err, wantErr)
				continue
			}
			if err != nil {
				continue
			}
			want, ok := network.Summarize(g)
			if !ok {
				t.Fatalf("Summarize(Neighborhood(%+v)): an edge ends outside the nodes", q)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("NeighborhoodSummary(%+v):\ngot  %+v\nwant %+v", q, got, want)
			}
			for _, e := range got.Edges {
				hedged = hedged || e.Qualifier != ""
			}
		}
		if !hedged {
			t.Error("no summary edge carries a qualifier: want the sources' hedges kept")
		}
	})
}

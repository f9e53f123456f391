package network_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// plainStore is a Store without the NeighborhoodSummarizer extension. Only
// Neighborhood is implemented: the embedded nil Store panics on any other
// call, which NeighborhoodSummary must not make.
type plainStore struct {
	network.Store
	g   *network.Subgraph
	err error
	// asked records the queries Neighborhood was given.
	asked []network.NeighborhoodQuery
}

func (s *plainStore) Neighborhood(ctx context.Context, q network.NeighborhoodQuery) (*network.Subgraph, error) {
	s.asked = append(s.asked, q)
	return s.g, s.err
}

// summarizingStore is a plainStore with the extension.
type summarizingStore struct {
	plainStore
	sum *network.SubgraphSummary
	// summarized records the queries NeighborhoodSummary was given.
	summarized []network.NeighborhoodQuery
}

func (s *summarizingStore) NeighborhoodSummary(ctx context.Context, q network.NeighborhoodQuery) (*network.SubgraphSummary, error) {
	s.summarized = append(s.summarized, q)
	return s.sum, nil
}

var _ network.NeighborhoodSummarizer = (*summarizingStore)(nil)

func testSubgraph() *network.Subgraph {
	return &network.Subgraph{
		Nodes: []*network.Entity{
			{ID: "a", Kind: network.Organization, Name: "A", Description: "dropped by the summary"},
			{ID: "b", Kind: network.Person, Name: "B"},
		},
		Edges: []*network.Relationship{
			{ID: "r1", Type: network.MemberOf, From: "b", To: "a", Qualifier: "reportedly", Note: "dropped too"},
		},
		Truncated: true,
	}
}

// NeighborhoodSummary uses a store's own summary when it has one, and
// otherwise summarizes Neighborhood's answer, asking for summary entities
// and passing its errors on.
func TestNeighborhoodSummaryDispatch(t *testing.T) {
	ctx := context.Background()
	q := network.NeighborhoodQuery{ID: "a", Depth: 2, Limit: 10}

	t.Run("extension", func(t *testing.T) {
		own := &network.SubgraphSummary{Nodes: []network.EntitySummary{{ID: "own"}}}
		s := &summarizingStore{plainStore: plainStore{g: testSubgraph()}, sum: own}
		got, err := network.NeighborhoodSummary(ctx, s, q)
		if err != nil {
			t.Fatalf("NeighborhoodSummary: %v", err)
		}
		if got != own {
			t.Errorf("NeighborhoodSummary: got %+v, want the store's own summary %+v", got, own)
		}
		if !reflect.DeepEqual(s.summarized, []network.NeighborhoodQuery{q}) {
			t.Errorf("the store's NeighborhoodSummary was asked %+v, want [%+v]", s.summarized, q)
		}
		if len(s.asked) != 0 {
			t.Errorf("Neighborhood was called %d times, want none", len(s.asked))
		}
	})

	t.Run("fallback", func(t *testing.T) {
		s := &plainStore{g: testSubgraph()}
		got, err := network.NeighborhoodSummary(ctx, s, q)
		if err != nil {
			t.Fatalf("NeighborhoodSummary: %v", err)
		}
		want, ok := network.Summarize(testSubgraph())
		if !ok {
			t.Fatal("Summarize: an edge ends outside the nodes")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("NeighborhoodSummary:\ngot  %+v\nwant %+v", got, want)
		}
		wantQ := q
		wantQ.Detail = network.SummaryDetail
		if !reflect.DeepEqual(s.asked, []network.NeighborhoodQuery{wantQ}) {
			t.Errorf("Neighborhood was asked %+v, want [%+v]", s.asked, wantQ)
		}
	})

	t.Run("fallback error", func(t *testing.T) {
		s := &plainStore{err: network.Errorf(network.ENOTFOUND, "unknown entity id %q", "a")}
		got, err := network.NeighborhoodSummary(ctx, s, q)
		if network.ErrorCode(err) != network.ENOTFOUND || got != nil {
			t.Errorf("NeighborhoodSummary: got %+v, %v; want nil, ENOTFOUND", got, err)
		}
	})

	t.Run("fallback bad subgraph", func(t *testing.T) {
		g := testSubgraph()
		g.Edges[0].To = "elsewhere"
		s := &plainStore{g: g}
		got, err := network.NeighborhoodSummary(ctx, s, q)
		if network.ErrorCode(err) != network.EINTERNAL || got != nil {
			t.Errorf("NeighborhoodSummary: got %+v, %v; want nil, EINTERNAL", got, err)
		}
	})
}

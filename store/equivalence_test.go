package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// asOfs are the dates the sweep compares the stores at; "" is no asOf.
var asOfs = []string{"", "2012-12-31", "2017", "2020-06", "2023"}

func withAsOf(s string) network.PartialDate {
	if s == "" {
		return network.PartialDate{}
	}
	return date(s)
}

// allIDs lists every entity id of the bundled dataset.
func allIDs(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, e := range bundled(tb).Entities {
		out = append(out, e.ID)
	}
	slices.Sort(out)
	return out
}

// sameAnswers asks both stores the same question and compares the answers.
func sameAnswers[T any](t *testing.T, what string, ask func(s network.Store) (T, error)) {
	t.Helper()
	st := both(t)
	a, errA := ask(st[0].store)
	b, errB := ask(st[1].store)
	if network.ErrorCode(errA) != network.ErrorCode(errB) {
		t.Errorf("%s: memory error %v, neo4j error %v", what, errA, errB)
		return
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("%s:\nmemory %+v\nneo4j  %+v", what, a, b)
	}
}

// shape reduces a subgraph to what the contract compares.
func shape(g *network.Subgraph) string {
	if g == nil {
		return "<nil>"
	}
	return fmt.Sprintf("nodes %v edges %v truncated %v", entityIDs(g.Nodes), relIDs(g.Edges), g.Truncated)
}

func pathShape(p *network.Path) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%v via %v", p.NodeIDs(), relIDs(p.Edges))
}

func TestStoresAgreeOnEveryEntity(t *testing.T) {
	ctx := context.Background()
	ids := allIDs(t)
	for _, id := range ids {
		for _, asOf := range asOfs {
			at := withAsOf(asOf)
			sameAnswers(t, fmt.Sprintf("Entities(%s)", id), func(s network.Store) ([]*network.Entity, error) {
				return s.Entities(ctx, []string{id})
			})
			for _, dir := range []network.Direction{network.Outgoing, network.Incoming, network.Both} {
				sameAnswers(t, fmt.Sprintf("RelationshipsOf(%s, %s, asOf %q)", id, dir, asOf), func(s network.Store) ([][]*network.Relationship, error) {
					return s.RelationshipsOf(ctx, []string{id}, network.RelFilter{Direction: dir, AsOf: at})
				})
			}
			for depth := 1; depth <= 3; depth++ {
				for _, limit := range []int{5, 500} {
					sameAnswers(t, fmt.Sprintf("Neighborhood(%s, depth %d, limit %d, asOf %q)", id, depth, limit, asOf), func(s network.Store) (string, error) {
						g, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: id, Depth: depth, Limit: limit, AsOf: at})
						return shape(g), err
					})
				}
			}
			sameAnswers(t, fmt.Sprintf("AllegianceChains(%s, asOf %q)", id, asOf), func(s network.Store) ([]string, error) {
				paths, err := s.AllegianceChains(ctx, network.ChainQuery{From: id, MaxDepth: 8, AsOf: at})
				var out []string
				for _, p := range paths {
					out = append(out, pathShape(p))
				}
				return out, err
			})
			for _, dir := range []network.LineageDirection{network.Predecessors, network.Successors, network.BothLineages} {
				sameAnswers(t, fmt.Sprintf("Lineage(%s, %s, asOf %q)", id, dir, asOf), func(s network.Store) (string, error) {
					g, err := s.Lineage(ctx, network.LineageQuery{ID: id, Direction: dir, AsOf: at})
					return shape(g), err
				})
			}
		}
	}
}

func TestStoresAgreeOnEveryShortestPath(t *testing.T) {
	ctx := context.Background()
	ids := allIDs(t)
	for _, from := range ids {
		for _, to := range ids {
			for _, asOf := range []string{"", "2020-02"} {
				sameAnswers(t, fmt.Sprintf("ShortestPath(%s, %s, asOf %q)", from, to, asOf), func(s network.Store) (string, error) {
					p, err := s.ShortestPath(ctx, network.PathQuery{From: from, To: to, MaxDepth: 6, AsOf: withAsOf(asOf)})
					return pathShape(p), err
				})
			}
		}
	}
}

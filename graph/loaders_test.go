package graph_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/allegiance/allegiance/graph"
	"github.com/allegiance/allegiance/network"
)

// countingStore counts the store calls a request makes.
type countingStore struct {
	network.Store
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingStore) count(name string) {
	c.mu.Lock()
	c.calls[name]++
	c.mu.Unlock()
}

func (c *countingStore) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	c.count("Entities")
	return c.Store.Entities(ctx, ids)
}

func (c *countingStore) Sources(ctx context.Context, ids []string) ([]*network.Source, error) {
	c.count("Sources")
	return c.Store.Sources(ctx, ids)
}

func (c *countingStore) RelationshipsOf(ctx context.Context, ids []string, f network.RelFilter) ([][]*network.Relationship, error) {
	c.count("RelationshipsOf")
	return c.Store.RelationshipsOf(ctx, ids, f)
}

func (c *countingStore) Neighborhood(ctx context.Context, q network.NeighborhoodQuery) (*network.Subgraph, error) {
	c.count("Neighborhood")
	return c.Store.Neighborhood(ctx, q)
}

func (c *countingStore) NeighborhoodSummary(ctx context.Context, q network.NeighborhoodQuery) (*network.SubgraphSummary, error) {
	c.count("NeighborhoodSummary")
	return network.NeighborhoodSummary(ctx, c.Store, q)
}

// A query that touches many entities makes one store call per level, not
// one per entity or field: the per-request loaders batch each level, and
// the entities a traversal already returned are not fetched again.
func TestOneStoreCallPerLevel(t *testing.T) {
	mem := bundledMemory(t)
	for _, tc := range []struct {
		name, query string
		want        map[string]int
	}{
		{"neighbourhood edges' ends are the nodes already read",
			`{ neighborhood(id: "jnim", depth: 2) { nodes { id name } edges { id from { id name } to { id name } sources { url } } } }`,
			map[string]int{"Neighborhood": 1, "Sources": 1}},
		{"every node's relationships in one call, their far ends in one more",
			`{ neighborhood(id: "jnim", depth: 1, limit: 30) { nodes { id relationships { id to { id name } from { id } } } } }`,
			map[string]int{"Neighborhood": 1, "RelationshipsOf": 1, "Entities": 1}},
		{"search hits' relationships in one call, their ends in one more",
			`{ search(query: "ghaly", limit: 10) { entity { id ... on Person { relationships { id to { name } } } ... on Organization { relationships { id to { name } } } } } }`,
			map[string]int{"RelationshipsOf": 1, "Entities": 1}},
		// A root entity is read at once, without waiting for a batch, so
		// two root fields read side by side.
		{"two root fields, one call each",
			`{ a: entity(id: "iyad-ag-ghaly") { id } b: entity(id: "jnim") { id } }`,
			map[string]int{"Entities": 2}},
		{"entity, its relationships, their ends",
			`{ entity(id: "iyad-ag-ghaly") { id relationships { id from { name } to { name } } } }`,
			map[string]int{"Entities": 2, "RelationshipsOf": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := &countingStore{Store: mem, calls: map[string]int{}}
			h := graph.NewHandler(cs, graph.HandlerConfig{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
			body, _ := json.Marshal(map[string]string{"query": tc.query})
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
				t.Fatalf("%s: got %d %s", tc.query, rec.Code, rec.Body.String())
			}
			for name, want := range tc.want {
				if got := cs.calls[name]; got != want {
					t.Errorf("%s: got %d %s calls, want %d (all calls: %v)", tc.query, got, name, want, cs.calls)
				}
			}
			for name, got := range cs.calls {
				if _, ok := tc.want[name]; !ok {
					t.Errorf("%s: got %d unexpected %s calls", tc.query, got, name)
				}
			}
		})
	}
}

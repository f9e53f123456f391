package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/allegiance/allegiance/graph"
	"github.com/allegiance/allegiance/network"
)

// recordingStore is the bundled embedded store, logging each call it
// answers with its arguments, so that a test can tell whether an argument
// reached the store.
type recordingStore struct {
	network.Store
	mu  sync.Mutex // mu protects log
	log []string
}

func (s *recordingStore) record(method string, arg any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, fmt.Sprintf("%s %+v", method, arg))
}

func (s *recordingStore) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := strings.Join(s.log, "\n")
	s.log = nil
	return out
}

func (s *recordingStore) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	s.record("Entities", ids)
	return s.Store.Entities(ctx, ids)
}

func (s *recordingStore) RelationshipsOf(ctx context.Context, ids []string, f network.RelFilter) ([][]*network.Relationship, error) {
	s.record("RelationshipsOf", []any{ids, f})
	return s.Store.RelationshipsOf(ctx, ids, f)
}

func (s *recordingStore) Search(ctx context.Context, q network.SearchQuery) ([]network.SearchHit, error) {
	s.record("Search", q)
	return s.Store.Search(ctx, q)
}

func (s *recordingStore) Neighborhood(ctx context.Context, q network.NeighborhoodQuery) (*network.Subgraph, error) {
	s.record("Neighborhood", q)
	return s.Store.Neighborhood(ctx, q)
}

func (s *recordingStore) ShortestPath(ctx context.Context, q network.PathQuery) (*network.Path, error) {
	s.record("ShortestPath", q)
	return s.Store.ShortestPath(ctx, q)
}

func (s *recordingStore) AllegianceChains(ctx context.Context, q network.ChainQuery) ([]*network.Path, error) {
	s.record("AllegianceChains", q)
	return s.Store.AllegianceChains(ctx, q)
}

func (s *recordingStore) Lineage(ctx context.Context, q network.LineageQuery) (*network.Subgraph, error) {
	s.record("Lineage", q)
	return s.Store.Lineage(ctx, q)
}

// argSamples give, per argument type, a value for a required argument and
// a value unlike the schema's default for any argument. A root field that
// gains an argument of a new type fails until it has a sample here.
var argSamples = map[string]struct{ base, varied string }{
	"ID!":                   {`"jnim"`, `"iyad-ag-ghaly"`},
	"String!":               {`"ghaly"`, `"kouffa"`},
	"Int":                   {"", "2"},
	"[RelationshipType!]":   {"", "[MEMBER_OF]"},
	"[EntityKind!]":         {"", "[ORGANIZATION]"},
	"PartialDate":           {"", `"2012"`},
	"LineageDirection":      {"", "PREDECESSORS"},
	"Direction":             {"", "OUTGOING"},
	"ID!/shortestPath.to":   {`"ayman-al-zawahiri"`, `"jnim"`},
	"ID!/shortestPath.from": {`"amadou-kouffa"`, `"iyad-ag-ghaly"`},
}

// sample returns the sample of argument a of field.
func sample(field string, a *ast.ArgumentDefinition) (base, varied string, ok bool) {
	s, ok := argSamples[a.Type.String()+"/"+field+"."+a.Name]
	if !ok {
		s, ok = argSamples[a.Type.String()]
	}
	return s.base, s.varied, ok
}

// Every argument of every root field (and of Entity.relationships) reaches
// the store: the store calls a query makes with the argument set differ
// from those it makes without it, with the fast path and without. A root
// field that gains an argument its query builder (queries.go) does not
// consume fails here.
func TestEveryArgumentReachesTheStore(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	type field struct {
		name  string
		def   *ast.FieldDefinition
		query func(args string) string // the query with these arguments
	}
	var fields []field
	for _, f := range schema.Query.Fields {
		if strings.HasPrefix(f.Name, "__") || len(f.Arguments) == 0 {
			continue
		}
		sel := ""
		if def := schema.Types[f.Type.Name()]; def.Kind != ast.Scalar && def.Kind != ast.Enum {
			sel = " { __typename }"
		}
		name := f.Name
		fields = append(fields, field{name, f, func(args string) string { return "{ " + name + "(" + args + ")" + sel + " }" }})
	}
	rel := schema.Types["Entity"].Fields.ForName("relationships")
	fields = append(fields, field{"relationships", rel, func(args string) string {
		if args != "" {
			args = "(" + args + ")"
		}
		return `{ entity(id: "iyad-ag-ghaly") { relationships` + args + ` { id } } }`
	}})

	rec := &recordingStore{Store: bundledMemory(t)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, fast := range []bool{true, false} {
		srv := httptest.NewServer(graph.NewHandler(rec, graph.HandlerConfig{Log: log, DisableFastPath: !fast}))
		defer srv.Close()
		for _, f := range fields {
			for _, a := range f.def.Arguments {
				t.Run(fmt.Sprintf("fast=%v/%s/%s", fast, f.name, a.Name), func(t *testing.T) {
					var base, varied []string
					for _, other := range f.def.Arguments {
						b, v, ok := sample(f.name, other)
						if !ok {
							t.Fatalf("no sample for argument %s.%s of type %s: add one to argSamples", f.name, other.Name, other.Type)
						}
						if other.Name == a.Name {
							varied = append(varied, other.Name+": "+v)
						} else if b != "" {
							varied = append(varied, other.Name+": "+b)
						}
						if b != "" {
							base = append(base, other.Name+": "+b)
						}
					}
					baseCalls := storeCalls(t, srv.URL, rec, f.query(strings.Join(base, ", ")))
					variedQuery := f.query(strings.Join(varied, ", "))
					variedCalls := storeCalls(t, srv.URL, rec, variedQuery)
					if baseCalls == "" {
						t.Fatalf("%s made no store call", f.query(strings.Join(base, ", ")))
					}
					if variedCalls == baseCalls {
						t.Errorf("%s: got the store calls of the query without %s, want them to differ:\n%s", variedQuery, a.Name, variedCalls)
					}
				})
			}
		}
	}
}

// storeCalls sends query and returns the store calls it made; the answer
// must have no error.
func storeCalls(t *testing.T, url string, rec *recordingStore, query string) string {
	t.Helper()
	rec.take()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(url+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer resp.Body.Close()
	var out struct {
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: decoding the answer: %v", query, err)
	}
	if len(out.Errors) > 0 {
		t.Fatalf("%s: got errors %s, want none", query, out.Errors)
	}
	return rec.take()
}

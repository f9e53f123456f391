package graph

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// The fast path's answers are fields gqlgen executes: field middleware
// registered beside it sees each traversal root field it answers, and the
// answer comes out of gqlgen's own response, whatever writer gqlgen
// marshals it into.
func TestFastAnswersPassFieldMiddleware(t *testing.T) {
	ds, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		t.Fatalf("reading the bundled dataset: %v", err)
	}
	mem := memory.New()
	if _, err := mem.Load(context.Background(), ds); err != nil {
		t.Fatalf("loading: %v", err)
	}
	var mu sync.Mutex
	var seen []string
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: mem}, Complexity: complexity()}))
	srv.AddTransport(HTTPTransport{})
	srv.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		if fc := graphql.GetFieldContext(ctx); fc.Object == "Query" {
			mu.Lock()
			seen = append(seen, fc.Field.Name)
			mu.Unlock()
		}
		return next(ctx)
	})
	srv.AroundFields(fastFields)
	ts := httptest.NewServer(WithLoaders(mem, srv))
	defer ts.Close()

	for _, c := range []struct{ field, query string }{
		{"neighborhood", `{ neighborhood(id: "jnim") { nodes { id } edges { from { id } to { id } } } }`},
		{"lineage", `{ lineage(id: "jnim") { nodes { id name } } }`},
		{"shortestPath", `{ shortestPath(from: "amadou-kouffa", to: "ayman-al-zawahiri") { length } }`},
		{"allegianceChains", `{ allegianceChains(from: "iyad-ag-ghaly") { length } }`},
	} {
		t.Run(c.field, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			before := FastPathAnswers()
			resp, err := http.Post(ts.URL, "application/json", strings.NewReader(`{"query": `+quoteJSON(c.query)+`}`))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if FastPathAnswers() == before {
				t.Fatalf("%s: the fast path did not answer, want it to", c.query)
			}
			if !bytes.HasPrefix(body, []byte(`{"data":{"`+c.field+`":`)) || bytes.Contains(body, []byte(`"errors"`)) {
				t.Errorf("%s: got %s, want data without errors", c.query, body)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) != 1 || seen[0] != c.field {
				t.Errorf("%s: field middleware saw root fields %v, want [%s]", c.query, seen, c.field)
			}
		})
	}
}

// A store error on the fast path reaches the client as gqlgen reports any
// resolver's error, with its code, once.
func TestFastPathErrorIsTheResolvers(t *testing.T) {
	h := NewHandler(failingStore{}, HandlerConfig{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(h)
	defer ts.Close()
	resp, err := http.Post(ts.URL+"/graphql", "application/json",
		strings.NewReader(`{"query": "{ neighborhood(id: \"x\") { nodes { id } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, want := strings.Count(string(body), `"code":"UNAVAILABLE"`), 1; got != want {
		t.Errorf("got %d UNAVAILABLE errors in %s, want %d", got, body, want)
	}
}

// failingStore answers every traversal with EUNAVAILABLE.
type failingStore struct{ network.Store }

func (failingStore) Neighborhood(context.Context, network.NeighborhoodQuery) (*network.Subgraph, error) {
	return nil, network.Errorf(network.EUNAVAILABLE, "down")
}

func quoteJSON(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

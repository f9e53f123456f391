package neo4j

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/data"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// hostileInputs are strings that would change a query's meaning if they were
// ever spliced into its text: quotes and breakouts, Cypher, Lucene and regex
// syntax, NUL bytes, invalid UTF-8, confusables, huge strings.
func hostileInputs() []string {
	var distinct strings.Builder
	for i := 0; distinct.Len() < network.MaxSearchQueryLength-10; i++ {
		fmt.Fprintf(&distinct, "qwert%d ", i) // many distinct fuzzy and prefix clauses
	}
	return []string{
		`"`, `'`, "`", `\`, `\\`, `"})`, `'})`, "`})", `") RETURN 1 //`,
		`'}) MATCH (n) DETACH DELETE n //`, `"}) MATCH (n) DETACH DELETE n //`,
		"MATCH (n) DETACH DELETE n", "jnim'}) DETACH DELETE a WITH 1 AS x MATCH (y) DETACH DELETE y //",
		"iyad-ag-ghaly\"}) SET e.name = 'pwned' //", "$ids", "$query", `{id: "jnim"}`, "/* */", "// ", "; MATCH (n) DELETE n",
		"CALL db.index.fulltext.queryNodes('entity_names', '*') YIELD node DETACH DELETE node",
		"CALL apoc.cypher.runWrite('MATCH (n) DETACH DELETE n', {})", "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
		"\x00", "jnim\x00", "\x00MATCH (n) DETACH DELETE n", "\xff\xfe", "gh\xffaly",
		"*:*", "*", "?", "~", "[", "]", "{", "}", "ghaly~2", "name:ghaly", "id:jnim", "ghaly^9", `"ghaly"`, "/.*/",
		"a AND b OR NOT c", "ghaly OR *:*", `+-&&||!(){}[]^"~*?:\/`, "ghaly) OR (name:*", "\\u0000",
		"іyad-ag-ghaly", "Іyad Ag Ghaly", "ｊｎｉｍ", "jnim\u202e", "\u200b", "j\u0301nim", "ghaly\U0001F600",
		strings.Repeat("a", 900_000), strings.Repeat("'})", 100_000), strings.Repeat("ghaly ", 83), distinct.String(),
		"", " ", "iyad-ag-ghaly", "jnim",
	}
}

// recorder is an Observer that keeps every query text and error.
type recorder struct {
	mu      sync.Mutex
	queries []string
	errs    []error
}

func (r *recorder) observe(query string, _ time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, query)
	if err != nil {
		r.errs = append(r.errs, err)
	}
}

// take returns and forgets what r recorded.
func (r *recorder) take() ([]string, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q, e := r.queries, r.errs
	r.queries, r.errs = nil, nil
	return q, e
}

// openObserved opens the test Neo4j with rec as its Observer.
func openObserved(t *testing.T, rec *recorder) *Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Fatal("NEO4J_URI is not set: run the tests with tools/test.sh, which starts Neo4j")
	}
	s, err := Open(context.Background(), Config{URI: uri, Username: os.Getenv("NEO4J_USERNAME"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE"), Observer: rec.observe}, nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", uri, err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// rawCounts counts every node, relationship, label and property key, outside
// the store's own queries.
func rawCounts(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	sess := s.session(ctx, driver.AccessModeRead)
	defer sess.Close(ctx)
	out := map[string]int64{}
	for name, q := range map[string]string{
		"nodes":         `MATCH (n) RETURN count(n) AS c`,
		"relationships": `MATCH ()-[r]->() RETURN count(r) AS c`,
		"labels":        `CALL db.labels() YIELD label RETURN count(label) AS c`,
		"properties":    `MATCH (n) RETURN sum(size(keys(n))) AS c`,
		"names":         `MATCH (e:Entity) RETURN sum(size(e.name)) AS c`,
	} {
		res, err := sess.Run(ctx, q, nil)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		rec, err := res.Single(ctx)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		c, _ := rec.Get("c")
		out[name], _ = c.(int64)
	}
	return out
}

// readQueries are the texts the read methods may send.
var readQueries = map[string]bool{
	entitiesByID: true, entitiesSummaryByID: true, sourcesByID: true, shortestPathAnyTime: true, incident: true, searchCandidates: true, shortestPath: true, countAll: true,
	neighbors: true, among: true, incidentAnyTime: true, neighborsAnyTime: true, amongAnyTime: true,
	lineageReach: true,
}

func init() {
	for _, q := range chainReach {
		readQueries[q] = true
	}
}

// No input changes a query's shape: every read method, given hostile
// strings, sends only the named read queries of cypher.go, Neo4j accepts
// every one of them (no Cypher or Lucene syntax error), the methods answer
// with domain codes only, and the database is the same afterwards.
func TestHostileInputsKeepQueryShapes(t *testing.T) {
	rec := &recorder{}
	s := openObserved(t, rec)
	ctx := context.Background()
	ds, err := loader.ReadFS(data.FS, "data")
	if err != nil {
		t.Fatalf("reading the bundled dataset: %v", err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if _, err := s.Load(ctx, ds); err != nil {
		t.Fatalf("Load: %v", err)
	}
	named := map[string]string{}
	for name, q := range namedQueries() {
		named[q.query] = name
	}
	beforeRaw := rawCounts(t, s)
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	if before != ds.Counts() {
		t.Fatalf("Counts after Load: got %+v, want %+v", before, ds.Counts())
	}
	rec.take()

	type call struct {
		name string
		run  func(x string) error
		// sends says whether every input reaches Neo4j, so that a silent
		// refusal cannot pass for safety.
		sends bool
	}
	calls := []call{
		{"Search", func(x string) error {
			_, err := s.Search(ctx, network.SearchQuery{Query: x, Limit: 10})
			return err
		}, false},
		{"Search(kinds)", func(x string) error {
			_, err := s.Search(ctx, network.SearchQuery{Query: x, Kinds: []network.EntityKind{network.Person}, Limit: 100})
			return err
		}, false},
		{"Entities", func(x string) error {
			_, err := s.Entities(ctx, []string{x, "jnim", x})
			return err
		}, true},
		{"Sources", func(x string) error {
			_, err := s.Sources(ctx, []string{x})
			return err
		}, true},
		{"RelationshipsOf", func(x string) error {
			_, err := s.RelationshipsOf(ctx, []string{x, "iyad-ag-ghaly"}, network.RelFilter{})
			return err
		}, true},
		{"RelationshipsOf(type, direction)", func(x string) error {
			_, err := s.RelationshipsOf(ctx, []string{"jnim"}, network.RelFilter{Types: []network.RelType{network.RelType(x)}, Direction: network.Direction(x)})
			return err
		}, true},
		{"Neighborhood", func(x string) error {
			_, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: x, Depth: 2, Limit: 50})
			return err
		}, true},
		{"ShortestPath(from)", func(x string) error {
			_, err := s.ShortestPath(ctx, network.PathQuery{From: x, To: "jnim", MaxDepth: 6})
			return err
		}, true},
		{"ShortestPath(to)", func(x string) error {
			_, err := s.ShortestPath(ctx, network.PathQuery{From: "amadou-kouffa", To: x, MaxDepth: 6})
			return err
		}, true},
		{"AllegianceChains", func(x string) error {
			_, err := s.AllegianceChains(ctx, network.ChainQuery{From: x, MaxDepth: 8})
			return err
		}, true},
		{"Lineage", func(x string) error {
			_, err := s.Lineage(ctx, network.LineageQuery{ID: x, Direction: network.BothLineages})
			return err
		}, true},
	}
	searched := 0
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			for _, x := range hostileInputs() {
				show := fmt.Sprintf("%.60q", x)
				err := c.run(x)
				if code := network.ErrorCode(err); code != "" && code != network.EINVALID && code != network.ENOTFOUND && code != network.ELIMIT {
					t.Errorf("%s(%s): got error code %q (%v), want none, %q, %q or %q",
						c.name, show, code, err, network.EINVALID, network.ENOTFOUND, network.ELIMIT)
				}
				queries, errs := rec.take()
				for _, e := range errs {
					t.Errorf("%s(%s): Neo4j refused a query: %v", c.name, show, e)
				}
				if c.sends && len(queries) == 0 {
					t.Errorf("%s(%s): got no query sent, want the input to reach Neo4j", c.name, show)
				}
				for _, q := range queries {
					q = plainQuery(q) // a typed variant is checked as its plain query
					name, ok := named[q]
					switch {
					case !ok:
						t.Errorf("%s(%s): sent a query that is no named constant of cypher.go:\n%s", c.name, show, q)
					case !readQueries[q]:
						t.Errorf("%s(%s): sent %s, want only read queries", c.name, show, name)
					case q == searchCandidates:
						searched++
					}
				}
			}
		})
	}
	if searched < 20 {
		t.Errorf("the full-text index was queried %d times, want at least 20 of the hostile inputs to reach it", searched)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	if after != before {
		t.Errorf("Counts after the hostile reads: got %+v, want %+v", after, before)
	}
	if afterRaw := rawCounts(t, s); fmt.Sprint(afterRaw) != fmt.Sprint(beforeRaw) {
		t.Errorf("raw counts after the hostile reads: got %v, want %v", afterRaw, beforeRaw)
	}
	e, err := s.Entities(ctx, []string{"iyad-ag-ghaly"})
	if err != nil || e[0] == nil || e[0].Name != "Iyad Ag Ghaly" {
		t.Errorf("Entities(iyad-ag-ghaly) after the hostile reads: got %v, %v, want Iyad Ag Ghaly", e, err)
	}
}

package main

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// scrape fetches /metrics and returns its series by name and labels, as
// written: `name{label="value"}`.
func scrape(tb testing.TB, base string) map[string]float64 {
	tb.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		tb.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		tb.Fatalf("GET /metrics: got status %d, want 200: %s", resp.StatusCode, b)
	}
	series := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			tb.Fatalf("GET /metrics: bad line %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("GET /metrics: %v", err)
	}
	return series
}

// After a few queries, one of them an error, /metrics counts the requests by
// operation name and the errors by code, and times the Neo4j queries.
func TestMetrics(t *testing.T) {
	for _, store := range []struct{ name, uri string }{{"store=memory", ""}, {"store=neo4j", neo4jURI(t)}} {
		t.Run(store.name, func(t *testing.T) {
			m := mainServing(t, store.uri)
			named := `query Pledges { entity(id: "iyad-ag-ghaly") { name relationships(types: [PLEDGED_ALLEGIANCE_TO]) { to { name } } } }`
			for range 2 {
				if _, r := post(t, m.URL(), named, nil); len(r.Errors) > 0 {
					t.Fatalf("Pledges: got errors %v, want none", r.Errors)
				}
			}
			post(t, m.URL(), `{ neighborhood(id: "jnim", depth: 99) { truncated } }`, nil)
			post(t, m.URL(), `query Broken { entity(id: "jnim") { salary } }`, nil)

			got := scrape(t, m.URL())
			want := map[string]float64{
				`allegiance_graphql_requests_total{operation="Pledges"}`:                            2,
				`allegiance_graphql_request_duration_seconds_count{operation="Pledges"}`:            2,
				`allegiance_graphql_requests_total{operation="anonymous"}`:                          1,
				`allegiance_graphql_requests_total{operation="Broken"}`:                             1,
				`allegiance_graphql_errors_total{code="LIMIT_EXCEEDED"}`:                            1,
				`allegiance_graphql_errors_total{code="BAD_USER_INPUT"}`:                            1,
				`allegiance_graphql_request_duration_seconds_bucket{operation="Pledges",le="+Inf"}`: 2,
			}
			if store.uri != "" {
				// All reads have ended, so none is in flight.
				want[`allegiance_neo4j_transactions_in_flight`] = 0
			}
			for series, v := range want {
				if g, ok := got[series]; !ok || g != v {
					t.Errorf("%s: got %v (present: %v), want %v", series, g, ok, v)
				}
			}
			neo4jSeries := `allegiance_neo4j_query_duration_seconds_count{query="entitiesByID"}`
			if n, ok := got[neo4jSeries]; store.uri != "" && (!ok || n < 1) {
				t.Errorf("%s: got %v (present: %v), want at least 1", neo4jSeries, n, ok)
			} else if store.uri == "" && ok {
				t.Errorf("%s: got %v, want no Neo4j series on the embedded store", neo4jSeries, n)
			}
			if _, ok := got["process_resident_memory_bytes"]; !ok {
				t.Errorf("process_resident_memory_bytes: got none, want the process collector's series")
			}
		})
	}
}

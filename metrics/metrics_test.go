package metrics

import (
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func exposition(tb testing.TB, m *Metrics) string {
	tb.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// Each series is labelled as documented, and clients cannot create more
// than MaxOperationNames operation labels.
func TestLabels(t *testing.T) {
	m := New()
	m.ObserveRequest("", time.Millisecond, []string{"LIMIT_EXCEEDED", ""})
	for i := range MaxOperationNames + 10 {
		m.ObserveRequest(fmt.Sprintf("Op%d", i), time.Millisecond, nil)
	}
	m.ObserveRequest("Op0", time.Millisecond, nil)
	m.ObserveQuery("incident", 2*time.Millisecond, nil)
	m.ObserveQuery("incident", 2*time.Millisecond, errors.New("boom"))
	m.AddInFlight(1)
	m.AddInFlight(1)
	m.AddInFlight(-1)
	out := exposition(t, m)
	for _, want := range []string{
		`allegiance_graphql_requests_total{operation="anonymous"} 1`,
		`allegiance_graphql_requests_total{operation="Op0"} 2`,
		`allegiance_graphql_requests_total{operation="other"} 10`,
		`allegiance_graphql_errors_total{code="LIMIT_EXCEEDED"} 1`,
		`allegiance_graphql_errors_total{code="UNKNOWN"} 1`,
		`allegiance_neo4j_query_duration_seconds_count{query="incident"} 2`,
		`allegiance_neo4j_query_errors_total{query="incident"} 1`,
		`allegiance_neo4j_transactions_in_flight 1`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("got no line %q, want it in the exposition", want)
		}
	}
	if n := strings.Count(out, "allegiance_graphql_requests_total{"); n != MaxOperationNames+2 {
		t.Errorf("got %d request series, want %d (the cap, anonymous and other)", n, MaxOperationNames+2)
	}
}

// Two Metrics do not share a registry.
func TestSeparateRegistries(t *testing.T) {
	a, b := New(), New()
	a.ObserveRequest("Only", time.Millisecond, nil)
	if out := exposition(t, b); strings.Contains(out, `operation="Only"`) {
		t.Errorf("second registry: got a series of the first, want none")
	}
}

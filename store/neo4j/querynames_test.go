package neo4j

import (
	"strings"
	"testing"
)

// Every named query has the name of its constant; anything else is "other".
func TestQueryName(t *testing.T) {
	for key, q := range namedQueries() {
		want, _, _ := strings.Cut(key, "[")
		if got := QueryName(q.query); got != want {
			t.Errorf("QueryName(%s): got %q, want %q", key, got, want)
		}
	}
	if got := QueryName("MATCH (n) RETURN n"); got != "other" {
		t.Errorf("QueryName(unknown text): got %q, want %q", got, "other")
	}
}

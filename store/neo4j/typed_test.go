package neo4j

import (
	"fmt"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/network"
)

func TestTyped(t *testing.T) {
	cases := []struct {
		name  string
		types []network.RelType
		want  string // the pattern the variant must hold; "" for the plain query
	}{
		{"no filter", nil, ""},
		{"one type", []network.RelType{network.MemberOf}, "[r:MEMBER_OF]"},
		{"canonical order, once each", []network.RelType{network.AffiliateOf, network.PledgedAllegianceTo, network.AffiliateOf},
			"[r:PLEDGED_ALLEGIANCE_TO|AFFILIATE_OF]"},
		{"every type", network.RelTypes, ""},
		{"a type not in the list", []network.RelType{network.MemberOf, "MEMBER_OF]-() DETACH DELETE a //"}, ""},
	}
	for _, q := range []string{incident, neighbors, among} {
		if n := strings.Count(q, "[r]"); n != 1 {
			t.Fatalf("%s: got %d [r] patterns, want 1", QueryName(q), n)
		}
		for _, c := range cases {
			t.Run(QueryName(q)+"/"+c.name, func(t *testing.T) {
				got := typed(q, c.types)
				if c.want == "" {
					if got != q {
						t.Errorf("typed(%s, %v): got a variant, want the plain query:\n%s", QueryName(q), c.types, got)
					}
					return
				}
				if !strings.Contains(got, c.want) || strings.Contains(got, "[r]") {
					t.Errorf("typed(%s, %v): got\n%s\nwant its pattern %s", QueryName(q), c.types, got, c.want)
				}
				if again := typed(q, c.types); again != got {
					t.Errorf("typed(%s, %v) twice: got two texts, want one cached variant", QueryName(q), c.types)
				}
				if name := QueryName(got); name != QueryName(q) {
					t.Errorf("QueryName(variant of %s): got %q, want %q", QueryName(q), name, QueryName(q))
				}
			})
		}
	}
}

// The AnyTime variants are their queries without the asOf window, and
// nothing else.
func TestAnyTimeVariants(t *testing.T) {
	for _, c := range []struct{ name, withWindow, anyTime string }{
		{"incident", incident, incidentAnyTime},
		{"neighbors", neighbors, neighborsAnyTime},
		{"among", among, amongAnyTime},
	} {
		if strings.Count(c.withWindow, timeWindow) != 1 {
			t.Errorf("%s: got %d asOf windows, want 1", c.name, strings.Count(c.withWindow, timeWindow))
		}
		if strings.Contains(c.anyTime, "$first") || strings.Contains(c.anyTime, "$last") {
			t.Errorf("%sAnyTime: still reads $first or $last:\n%s", c.name, c.anyTime)
		}
		// neighbors' hub streams (hubs.go) have windows of their own.
		want := strings.Replace(c.withWindow, timeWindow, "", 1)
		for _, other := range []string{"endNode", "startNode"} {
			want = strings.ReplaceAll(want, fmt.Sprintf(streamWindow, other), "")
		}
		if c.anyTime != want {
			t.Errorf("%sAnyTime: got %d bytes, want %d (%s less the windows)", c.name, len(c.anyTime), len(want), c.name)
		}
		if QueryName(c.anyTime) != c.name {
			t.Errorf("QueryName(%sAnyTime): got %q, want %q", c.name, QueryName(c.anyTime), c.name)
		}
		asOf := network.RelFilter{AsOf: network.MustParsePartialDate("2015")}
		if forFilter(c.withWindow, c.anyTime, network.RelFilter{}) != c.anyTime || forFilter(c.withWindow, c.anyTime, asOf) != c.withWindow {
			t.Errorf("forFilter(%s): want the AnyTime form without asOf and the window with it", c.name)
		}
	}
}

// shortestPathAnyTime is shortestPath without its filter, and nothing else.
func TestShortestPathAnyTime(t *testing.T) {
	if strings.Count(shortestPath, shortestPathFilter) != 1 {
		t.Fatalf("shortestPath: got %d filters, want 1", strings.Count(shortestPath, shortestPathFilter))
	}
	if got, want := len(shortestPathAnyTime), len(shortestPath)-len(shortestPathFilter); got != want || strings.Contains(shortestPathAnyTime, "$types") {
		t.Errorf("shortestPathAnyTime: got %d bytes, want %d, without $types:\n%s", got, want, shortestPathAnyTime)
	}
}

func TestEveryType(t *testing.T) {
	cases := []struct {
		types []network.RelType
		want  bool
	}{
		{nil, true},
		{network.RelTypes, true},
		{append(append([]network.RelType{}, network.RelTypes...), network.MemberOf), true},
		{[]network.RelType{network.MemberOf}, false},
		{network.RelTypes[1:], false},
		{[]network.RelType{"NOT_A_TYPE"}, false},
	}
	for _, c := range cases {
		if got := everyType(c.types); got != c.want {
			t.Errorf("everyType(%v): got %v, want %v", c.types, got, c.want)
		}
	}
}

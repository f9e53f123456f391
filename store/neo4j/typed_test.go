package neo4j

import (
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

package graph_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/allegiance/allegiance/graph"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// The fast path writes every string as gqlgen does, whatever it holds:
// control characters, quotes, backslashes, non-ASCII, invalid UTF-8, HTML
// and the line and paragraph separators, in ids, names, aliases,
// descriptions and every optional field of an edge.
func TestFastPathWritesOddStringsAsGqlgen(t *testing.T) {
	odd := []string{
		"tab\tnew\nline\rreturn",
		"\x00\x01\x1f\x7f controls",
		`"quoted" \back\slashed\`,
		"<b>html</b> & &amp;",
		"line\u2028para\u2029graph",
		"Jamāʿat Nuṣrat al-Islām — جماعة 🏴",
		"invalid \xff\xfe \xe2\x80 \xed\xa0\x80 UTF-8",
		"",
	}
	ds := &network.Dataset{}
	hub := network.Entity{ID: "hub \"<&>\" \u2028", Kind: network.Organization, Name: "Hub\t\"name\"\\ \xff\xe2\x80", Aliases: odd,
		Description: "a description with \x00 and \u2029"}
	ds.Entities = append(ds.Entities, hub)
	for i, s := range odd {
		kind := network.Person
		if i%2 == 1 {
			kind = network.Organization
		}
		id := "odd-" + string(rune('a'+i)) + s
		ds.Entities = append(ds.Entities, network.Entity{ID: id, Kind: kind, Name: s + " name", Aliases: []string{s, "plain"},
			Description: s})
		ds.Relationships = append(ds.Relationships, network.Relationship{
			ID: "rel-" + s + string(rune('a'+i)), Type: network.AssociatedWith, From: id, To: hub.ID,
			Role: s, Qualifier: s, Evidence: s + " evidence", Note: s,
			Since: network.MustParsePartialDate("2011-12"), Until: network.MustParsePartialDate("2017-03-02"),
		})
	}
	mem := memory.New()
	if _, err := mem.Load(context.Background(), ds); err != nil {
		t.Fatalf("loading the odd strings: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	fast := graph.NewHandler(mem, graph.HandlerConfig{Log: log})
	slow := graph.NewHandler(mem, graph.HandlerConfig{Log: log, DisableFastPath: true})

	cases := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"every field of a neighbourhood",
			`query($id: ID!) { neighborhood(id: $id) { __typename truncated nodes { __typename id name kind description aliases }
				edges { __typename id type since until role qualifier evidence note from { id name aliases } to { id description } again: to { name } } } }`,
			map[string]any{"id": hub.ID}},
		{"a summarized neighbourhood",
			`query($id: ID!) { neighborhood(id: $id, depth: 2) { truncated nodes { __typename id name kind }
				edges { id type since until qualifier from { id name } to { kind id } } } }`,
			map[string]any{"id": hub.ID}},
		{"a path between odd ids",
			`query($from: ID!, $to: ID!) { shortestPath(from: $from, to: $to) { length nodes { id name aliases } edges { id role note } } }`,
			map[string]any{"from": ds.Entities[1].ID, "to": ds.Entities[len(ds.Entities)-1].ID}},
		{"a path without the characters the transport escapes",
			`query($from: ID!, $to: ID!) { shortestPath(from: $from, to: $to) { nodes { name } edges { role qualifier evidence note since until from { name } } } }`,
			map[string]any{"from": ds.Entities[1].ID, "to": ds.Entities[6].ID}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := graph.FastPathAnswers()
			got := post(t, fast, c.query, c.vars)
			if graph.FastPathAnswers() == before {
				t.Errorf("%s: the fast path did not answer, want it to", c.query)
			}
			if want := post(t, slow, c.query, c.vars); got != want {
				t.Errorf("%s:\nfast path: %.3000q\nordinary:  %.3000q", c.query, got, want)
			}
		})
	}
}

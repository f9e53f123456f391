//go:build bench

package suite

import (
	"fmt"
	"strings"

	"github.com/allegiance/allegiance/bench/gen"
	"github.com/allegiance/allegiance/bench/server"
)

// benchQuery is one query of the suite as each server is asked it. A
// server missing from requests cannot express it.
type benchQuery struct {
	name     string
	requests map[string]request
}

const (
	qSearch = `query($q: String!) { search(query: $q, limit: 10) { score entity { id name kind } } }`
	qEntity = `query($id: ID!) { entity(id: $id) { id name kind aliases
  relationships { id type since until from { id name } to { id name } } } }`
	qNeighborhood = `query($id: ID!, $depth: Int) { neighborhood(id: $id, depth: $depth, limit: 500) {
  truncated nodes { id name kind } edges { id type since until from { id name } to { id name } } } }`
	qPath = `query($from: ID!, $to: ID!) { shortestPath(from: $from, to: $to, maxDepth: 6) {
  length nodes { id name kind } edges { id type since until } } }`
	qChains = `query($from: ID!) { allegianceChains(from: $from, maxDepth: 8) {
  length nodes { id name kind } edges { id type since until } } }`
	qLineage = `query($id: ID!) { lineage(id: $id, direction: BOTH) {
  truncated nodes { id name kind } edges { id type since until from { id name } to { id name } } } }`
	qPeerLineage = `query($id: ID!) { lineage(id: $id) {
  truncated nodes { id name kind } edges { id type since until from { id name } to { id name } } } }`
)

// relTypes are the 18 relationship types, for the peer's entity query.
var relTypes = []string{
	"MEMBER_OF", "LEADER_OF", "FOUNDED", "PLEDGED_ALLEGIANCE_TO", "AFFILIATE_OF", "PART_OF",
	"MERGED_INTO", "RENAMED_TO", "SPLIT_FROM", "ALLIED_WITH", "RIVAL_OF", "SUPPORTED",
	"NEGOTIATED_WITH", "MET_WITH", "EMPLOYED_BY", "OPPOSED", "ASSOCIATED_WITH", "FAMILY_OF",
}

// peerEntityQuery asks the peer for an entity and every relationship, the
// native way: one connection field per type and direction (see
// bench/peer/gen-schema.mjs), on each concrete type.
func peerEntityQuery() string {
	var fields strings.Builder
	for _, t := range relTypes {
		c := camel(t)
		for _, dir := range []string{"Out", "In"} {
			fmt.Fprintf(&fields, "    %s%sConnection { edges { properties { id since until } node { id name } } }\n", c, dir)
		}
	}
	return fmt.Sprintf(`query($id: ID!) { entities(where: {id: {eq: $id}}) { id name kind aliases
  ... on Person {
%s  }
  ... on Organization {
%s  } } }`, fields.String(), fields.String())
}

func camel(t string) string {
	parts := strings.Split(strings.ToLower(t), "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// queries builds the suite's queries for the landmarks of the scale.
func queries(lm gen.Landmarks) []benchQuery {
	gq := func(q string, vars map[string]any) request { return graphqlRequest("/graphql", q, vars) }
	pq := func(q string, vars map[string]any) request { return graphqlRequest("/", q, vars) }
	all := func(ours, peer request, direct server.Request) map[string]request {
		return map[string]request{"a": ours, "b": directRequest(direct), "c": peer, "d": ours}
	}
	nbh := func(name, id string, depth int) benchQuery {
		vars := map[string]any{"id": id, "depth": depth}
		return benchQuery{name, all(gq(qNeighborhood, vars), pq(qNeighborhood, vars),
			server.Request{Op: "neighborhood", ID: id, Depth: depth, Limit: 500})}
	}
	return []benchQuery{
		{"search", all(gq(qSearch, map[string]any{"q": lm.Search}), pq(qSearch, map[string]any{"q": lm.Search}),
			server.Request{Op: "search", Query: lm.Search, Limit: 10})},
		{"entity", all(gq(qEntity, map[string]any{"id": lm.Ordinary}), pq(peerEntityQuery(), map[string]any{"id": lm.Ordinary}),
			server.Request{Op: "entity", ID: lm.Ordinary})},
		nbh("neighborhood-d1-ordinary", lm.Ordinary, 1),
		nbh("neighborhood-d2-ordinary", lm.Ordinary, 2),
		nbh("neighborhood-d1-hub", lm.Hub, 1),
		nbh("neighborhood-d2-hub", lm.Hub, 2),
		{"shortestPath", all(gq(qPath, map[string]any{"from": lm.PathFrom, "to": lm.PathTo}),
			pq(qPath, map[string]any{"from": lm.PathFrom, "to": lm.PathTo}),
			server.Request{Op: "shortestPath", ID: lm.PathFrom, To: lm.PathTo, MaxDepth: 6})},
		{"allegianceChains", all(gq(qChains, map[string]any{"from": lm.ChainFrom}), pq(qChains, map[string]any{"from": lm.ChainFrom}),
			server.Request{Op: "allegianceChains", ID: lm.ChainFrom, MaxDepth: 8})},
		{"lineage", all(gq(qLineage, map[string]any{"id": lm.LineageOf}), pq(qPeerLineage, map[string]any{"id": lm.LineageOf}),
			server.Request{Op: "lineage", ID: lm.LineageOf})},
	}
}

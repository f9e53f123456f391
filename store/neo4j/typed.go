package neo4j

import (
	"strings"
	"sync"

	"github.com/allegiance/allegiance/network"
)

// typedQueries holds the variants of incident, neighbors and among whose
// pattern names the relationship types a filter allows, keyed by the query
// and the types: given [r:PLEDGED_ALLEGIANCE_TO|AFFILIATE_OF], Neo4j
// expands only those relationships of a node, where [r] reads every one
// and filters (on a hub with thousands of MEMBER_OF, an allegiance chain
// then reads its few pledges). The $types filter stays in the WHERE
// clause, so a variant returns what the plain query returns.
var typedQueries sync.Map // typedKey → string

// typedPlain maps each variant's text to its plain query (see plainQuery).
var typedPlain sync.Map // string → string

type typedKey struct {
	query string
	types string
}

// typed returns query with its one "[r]" naming the types of f. It returns
// query itself when f allows every type, or names a type that is not one
// of network.RelTypes: type names enter Cypher text only from that list,
// never from input.
func typed(query string, types []network.RelType) string {
	if len(types) == 0 {
		return query
	}
	allowed := make(map[network.RelType]bool, len(types))
	for _, t := range types {
		if !t.Valid() {
			return query
		}
		allowed[t] = true
	}
	names := make([]string, 0, len(allowed))
	for _, t := range network.RelTypes { // canonical order: one variant per set
		if allowed[t] {
			names = append(names, string(t))
		}
	}
	if len(names) == len(network.RelTypes) {
		return query
	}
	k := typedKey{query, strings.Join(names, "|")}
	if q, ok := typedQueries.Load(k); ok {
		return q.(string)
	}
	q := strings.Replace(query, "[r]", "[r:"+k.types+"]", 1)
	typedPlain.Store(q, query)
	typedQueries.Store(k, q)
	return q
}

// plainQuery returns the query a typed variant was made from, and any
// other text as it is.
func plainQuery(q string) string {
	if p, ok := typedPlain.Load(q); ok {
		return p.(string)
	}
	return q
}

// forFilter picks the form of a filtered read for f: anyTime when f has
// no asOf, withWindow otherwise, typed for f's relationship types.
func forFilter(withWindow, anyTime string, f network.RelFilter) string {
	if f.AsOf.IsZero() {
		return typed(anyTime, f.Types)
	}
	return typed(withWindow, f.Types)
}

// everyType says whether a filter on types allows every relationship type
// of the contract: none named, or all of them.
func everyType(types []network.RelType) bool {
	if len(types) == 0 {
		return true
	}
	set := make(map[network.RelType]bool, len(types))
	for _, t := range types {
		set[t] = true
	}
	for _, t := range network.RelTypes {
		if !set[t] {
			return false
		}
	}
	return true
}

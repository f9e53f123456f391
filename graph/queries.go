package graph

import (
	"fmt"
	"strconv"

	"github.com/allegiance/allegiance/network"
)

// One place builds each store query from a root field's arguments: the
// resolvers call these builders with the arguments gqlgen decoded, and
// nothing else decodes them. An argument left null takes the default the
// schema gives it (an omitted one already has it: gqlgen fills schema
// defaults in), read from the schema itself so that no number is
// repeated here. queries_test.go fails when a root field has an argument
// its builder does not consume.

// The schema's argument defaults, read once from the parsed schema.
var (
	defaultSearchLimit       = schemaDefault("search", "limit")
	defaultNeighborhoodDepth = schemaDefault("neighborhood", "depth")
	defaultNeighborhoodLimit = schemaDefault("neighborhood", "limit")
	defaultPathMaxDepth      = schemaDefault("shortestPath", "maxDepth")
	defaultChainMaxDepth     = schemaDefault("allegianceChains", "maxDepth")
)

// schemaDefault returns the Int default of Query.field(arg) in the schema.
// The schema is compiled into the binary, so a missing default is a
// programming error, caught by every test of the package.
func schemaDefault(field, arg string) int {
	f := parsedSchema.Query.Fields.ForName(field)
	if f == nil {
		panic(fmt.Sprintf("schema: Query.%s is missing", field))
	}
	a := f.Arguments.ForName(arg)
	if a == nil || a.DefaultValue == nil {
		panic(fmt.Sprintf("schema: Query.%s(%s) has no default", field, arg))
	}
	n, err := strconv.Atoi(a.DefaultValue.Raw)
	if err != nil {
		panic(fmt.Sprintf("schema: Query.%s(%s) default %q is not an Int", field, arg, a.DefaultValue.Raw))
	}
	return n
}

// searchQuery builds the store query of Query.search.
func searchQuery(query string, kinds []network.EntityKind, limit *int) network.SearchQuery {
	return network.SearchQuery{Query: query, Kinds: kinds, Limit: orDefault(limit, defaultSearchLimit)}
}

// neighborhoodQuery builds the store query of Query.neighborhood.
func neighborhoodQuery(id string, depth *int, types []network.RelType, asOf *network.PartialDate, limit *int) network.NeighborhoodQuery {
	return network.NeighborhoodQuery{ID: id, Depth: orDefault(depth, defaultNeighborhoodDepth), Types: types,
		AsOf: date(asOf), Limit: orDefault(limit, defaultNeighborhoodLimit)}
}

// pathQuery builds the store query of Query.shortestPath.
func pathQuery(from, to string, types []network.RelType, maxDepth *int, asOf *network.PartialDate) network.PathQuery {
	return network.PathQuery{From: from, To: to, Types: types, MaxDepth: orDefault(maxDepth, defaultPathMaxDepth),
		AsOf: date(asOf)}
}

// chainQuery builds the store query of Query.allegianceChains.
func chainQuery(from string, asOf *network.PartialDate, maxDepth *int) network.ChainQuery {
	return network.ChainQuery{From: from, AsOf: date(asOf), MaxDepth: orDefault(maxDepth, defaultChainMaxDepth)}
}

// lineageQuery builds the store query of Query.lineage.
func lineageQuery(id string, direction *network.LineageDirection, asOf *network.PartialDate) network.LineageQuery {
	return network.LineageQuery{ID: id, Direction: orDefault(direction, network.BothLineages), AsOf: date(asOf)}
}

// membersQuery builds the query of Query.members.
func membersQuery(id string, types []network.RelType, asOf *network.PartialDate) network.MembersQuery {
	return network.MembersQuery{ID: id, Types: types, AsOf: date(asOf)}
}

// relationshipsKey builds the loader key of Entity.relationships, for the
// resolver and for the prefetch that readies it. A null direction is BOTH,
// the schema's default.
func relationshipsKey(id string, types []network.RelType, dir *network.Direction, asOf *network.PartialDate) relKey {
	return newRelKey(id, types, orDefault(dir, network.Both), date(asOf))
}

// orDefault dereferences an optional argument that has a default in the
// schema: an explicit null takes the default, as an omitted argument does
// (and as a null relationships direction does).
func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// date dereferences an optional date argument.
func date(d *network.PartialDate) network.PartialDate {
	if d == nil {
		return network.PartialDate{}
	}
	return *d
}

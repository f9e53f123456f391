package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/allegiance/allegiance/network"
)

// AllegianceChains and Lineage walk their graph level by level through
// Adjacency.Incident, which cost one Cypher round trip per level (8 for a
// chain of six pledges). They now read, in one statement, the relationships
// of every entity their walk can reach (reached), and answer the walk's
// Incident calls from those rows: the same walk (network/traverse.go), the
// same answers, two round trips fewer per level.

// allegianceTypes and lineageTypes are the Cypher type alternations, such
// as PLEDGED_ALLEGIANCE_TO|AFFILIATE_OF, of network.AllegianceTypes and
// network.LineageTypes: the reach queries follow the types the walks of
// network/traverse.go follow, from the one list.
var (
	allegianceTypes = typeAlternation(network.AllegianceTypes)
	lineageTypes    = typeAlternation(network.LineageTypes)
)

// typeAlternation joins types with "|" for a Cypher relationship pattern.
// The names come from the domain's constant sets, never from input.
func typeAlternation(types []network.RelType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return strings.Join(names, "|")
}

// chainReach holds, for each maximum depth, the statement that reads the
// outgoing allegiance relationships, passing the asOf window, of every
// entity within depth-1 allegiance hops of the root: those are all the
// entities BuildAllegianceChains expands. The hops themselves are followed
// without the window, so the set is a superset; rows are read only for
// relationships that pass it. The depth is an int from 1 to
// network.MaxChainDepth, never input text: Cypher 5 takes no parameter
// for a variable-length bound.
var chainReach = func() map[int]string {
	m := make(map[int]string, network.MaxChainDepth)
	for d := 1; d <= network.MaxChainDepth; d++ {
		m[d] = fmt.Sprintf(chainReachTemplate, d-1)
	}
	return m
}()

// chainReachTemplate is the text of chainReach with %d for the hop bound.
var chainReachTemplate = `
MATCH (root:Entity {id: $id}) USING INDEX SEEK root:Entity(id)
MATCH (root)-[:` + allegianceTypes + `*0..%d]->(a:Entity)
WITH DISTINCT a
OPTIONAL MATCH (a)-[r:` + allegianceTypes + `]->(b:Entity)
WHERE r.fromDay <= $last AND r.toDay >= $first
  AND a.lifeFrom <= $last AND a.lifeTo >= $first
  AND b.lifeFrom <= $last AND b.lifeTo >= $first
RETURN a.id AS id, r, a.id AS from, b.id AS to`

// lineageReach reads the lineage relationships, passing the asOf window, of
// every entity joined to the root by lineage relationships in either
// direction, up to $cap entities: a superset of the predecessors and
// successors BuildLineage expands. Beyond $cap, the walk asks the database
// for the entities left out.
var lineageReach = `
MATCH (root:Entity {id: $id}) USING INDEX SEEK root:Entity(id)
MATCH (root)-[:` + lineageTypes + `*0..]-(a:Entity)
WITH DISTINCT a
LIMIT $cap
OPTIONAL MATCH (a)-[r:` + lineageTypes + `]-(b:Entity)
WHERE r.fromDay <= $last AND r.toDay >= $first
  AND a.lifeFrom <= $last AND a.lifeTo >= $first
  AND b.lifeFrom <= $last AND b.lifeTo >= $first
RETURN a.id AS id, r, startNode(r).id AS from, endNode(r).id AS to`

// reachSummaries are the columns a reach query gains at SummaryDetail:
// the summaries of the entity a row was read for and of the other end.
const reachSummaries = `, a ` + summaryFields + ` AS e, b ` + summaryFields + ` AS be`

// reached is an Adjacency whose Incident answers, for the filter f, the
// entities covered from rows read up front, and whose Entities answers at
// network.SummaryDetail from the summaries read with them; any other call
// goes to the transaction. A walk that only draws its entities (the
// GraphQL fast path) then sends its one statement and no entitiesByID.
type reached struct {
	txAdjacency
	f       network.RelFilter
	covered map[string]bool
	rows    map[string][]*network.Relationship // by the entity they were read for
	// summaries holds the summaryFields of each entity the rows name.
	summaries map[string]map[string]any
}

// reach reads query's rows for f and the root id, and returns the
// Adjacency that answers from them.
func (a txAdjacency) reach(ctx context.Context, query, id string, f network.RelFilter, extra map[string]any) (*reached, error) {
	if a.detail == network.SummaryDetail {
		query = withSummaries(query)
	}
	params := filterParams(nil, f)
	params["id"] = id
	for k, v := range extra {
		params[k] = v
	}
	recs, err := a.s.collect(ctx, a.tx, query, params)
	if err != nil {
		return nil, err
	}
	r := &reached{txAdjacency: a, f: f, covered: make(map[string]bool, len(recs)), rows: make(map[string][]*network.Relationship),
		summaries: make(map[string]map[string]any, len(recs))}
	for _, rec := range recs {
		m := rec.AsMap()
		at := asString(m["id"])
		r.covered[at] = true
		for _, k := range []string{"e", "be"} { // a, and b beyond the reach
			if e, ok := m[k].(map[string]any); ok {
				r.summaries[asString(e["id"])] = e
			}
		}
		if rel, ok := m["r"].(dbtype.Relationship); ok {
			r.rows[at] = append(r.rows[at], decodeRelationship(rel, asString(m["from"]), asString(m["to"])))
		}
	}
	return r, nil
}

// Incident implements network.Adjacency.
func (r *reached) Incident(ctx context.Context, ids []string, f network.RelFilter) ([]*network.Relationship, error) {
	if !sameFilter(f, r.f) {
		return r.txAdjacency.Incident(ctx, ids, f)
	}
	for _, id := range ids {
		if !r.covered[id] {
			return r.txAdjacency.Incident(ctx, ids, f)
		}
	}
	seen := map[string]bool{}
	var out []*network.Relationship
	for _, id := range ids {
		for _, rel := range r.rows[id] {
			if !seen[rel.ID] {
				seen[rel.ID] = true
				out = append(out, rel)
			}
		}
	}
	return out, nil
}

// Entities implements network.Adjacency: at network.SummaryDetail, from
// the summaries read up front when they hold every id, decoded afresh on
// each call as entitiesSummaryByID's rows are; otherwise from the
// database.
func (r *reached) Entities(ctx context.Context, ids []string) ([]*network.Entity, error) {
	if r.detail != network.SummaryDetail {
		return r.txAdjacency.Entities(ctx, ids)
	}
	out := make([]*network.Entity, len(ids))
	for i, id := range ids {
		props, ok := r.summaries[id]
		if !ok {
			return r.txAdjacency.Entities(ctx, ids)
		}
		out[i] = decodeEntity(props, nil)
	}
	return out, nil
}

// sameFilter says whether two filters ask for the same relationships.
func sameFilter(a, b network.RelFilter) bool {
	return a.Direction == b.Direction && a.AsOf == b.AsOf && slices.Equal(a.Types, b.Types)
}

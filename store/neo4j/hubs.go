package neo4j

import (
	"fmt"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// A neighbourhood keeps, at each level, the first $limit neighbours by id.
// Expanding a node reads all of its relationships and sorts the other
// ends' ids, so a hub cost what its degree cost: 4,000 db hits for the
// neighbors statement from a hub of 1,000 members, 400,000 from one of
// 100,000, and ten times the latency (BenchmarkHubDegree).
//
// Every relationship therefore carries its endpoints' ids, fromId and
// toId, and each type has two range indexes, on (fromId, toId) and on
// (toId, fromId) (relationshipIndexes): for a given node they list its
// outgoing, and its incoming, neighbours of that type in id order. The
// neighbors statement expands the frontier's light nodes as before and
// reads a heavy node's neighbours from those indexes instead, type by type
// and direction by direction, each stream stopping after $perStream
// distinct ids: a hub costs what its first neighbours cost, whatever its
// degree.
//
// $perStream is $limit plus the size of $skip. That is enough: a neighbour
// the answer keeps has, in its stream, only neighbours the answer keeps
// before it or ids of $skip before it. A node is heavy when its degree
// (from Neo4j's degree store) is above $perStream: below that, expanding
// reads no more than the streams would. From hubs of 1,000 and of 4,000
// members the statement makes the same 91 db hits for a limit of 50
// (TestHubNeighborsAreBounded).
//
// among, which reads the relationships between the nodes kept, still
// expands each of them in one direction (outgoing): a hub with thousands
// of outgoing relationships would cost their number there. Hubs are mostly
// the targets of memberships, pledges and affiliations.

// relationshipIndexes are the two ordered-neighbour indexes of each type.
var relationshipIndexes = func() []string {
	var out []string
	for _, t := range network.RelTypes {
		name := strings.ToLower(string(t))
		out = append(out,
			fmt.Sprintf("CREATE INDEX rel_%s_from IF NOT EXISTS FOR ()-[r:%s]-() ON (r.fromId, r.toId)", name, t),
			fmt.Sprintf("CREATE INDEX rel_%s_to IF NOT EXISTS FOR ()-[r:%s]-() ON (r.toId, r.fromId)", name, t))
	}
	return out
}()

// endpointIDs gives the relationships written before they carried fromId
// and toId their endpoints' ids, in transactions of 10,000 (an existing
// database's first EnsureSchema runs it; it finds nothing to do after).
const endpointIDs = `
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.fromId IS NULL AND type(r) IN $types
CALL (a, r, b) { SET r.fromId = a.id, r.toId = b.id } IN TRANSACTIONS OF 10000 ROWS`

// neighborsHead finds the frontier and weighs each of its nodes.
const neighborsHead = `
UNWIND $ids AS id
MATCH (a:Entity {id: id}) USING INDEX SEEK a:Entity(id)
WITH a, COUNT { (a)--() } AS degree
CALL (a, degree) {
  WITH a WHERE degree <= $perStream
  MATCH (a)-[r]-(b:Entity)
  WHERE type(r) IN $types` + timeWindow + `
  AND ($direction = 'BOTH' OR type(r) IN $symmetric
       OR ($direction = 'OUTGOING' AND startNode(r) = a)
       OR ($direction = 'INCOMING' AND endNode(r) = a))
  RETURN b.id AS id`

// neighborsTail keeps the first $limit ids the light and heavy nodes gave.
const neighborsTail = `
}
WITH DISTINCT id WHERE NOT id IN $skip
ORDER BY id
LIMIT $limit
RETURN id`

// streamTemplate reads a heavy node's neighbours of one type and direction
// from an ordered-neighbour index: %[1]s is the type, %[2]s the direction
// guard, %[3]s and %[4]s the index's first and second properties, %[5]s
// the asOf window or nothing.
const streamTemplate = `
UNION ALL
  WITH a WHERE degree > $perStream AND '%[1]s' IN $types%[2]s
  MATCH ()-[r:%[1]s]->() USING INDEX SEEK r:%[1]s(%[3]s, %[4]s)
  WHERE r.%[3]s = a.id AND r.%[4]s >= ''%[5]s
  WITH r.%[3]s AS at, r.%[4]s AS id
  ORDER BY at, id
  WITH DISTINCT id
  LIMIT $perStream
  RETURN id`

// streamWindow is a stream's asOf window; %s is the other end.
const streamWindow = `
    AND r.fromDay <= $last AND r.toDay >= $first
    AND a.lifeFrom <= $last AND a.lifeTo >= $first
    AND %[1]s(r).lifeFrom <= $last AND %[1]s(r).lifeTo >= $first`

// neighborsQuery builds the neighbors statement, with the asOf window or
// without it.
func neighborsQuery(window bool) string {
	var b strings.Builder
	head := neighborsHead
	if !window {
		head = strings.Replace(head, timeWindow, "", 1)
	}
	b.WriteString(head)
	for _, t := range network.RelTypes {
		for _, out := range []bool{true, false} {
			// Out: the node is the start, its neighbours the ends.
			first, second, other, guard := "fromId", "toId", "endNode", ` AND $direction <> 'INCOMING'`
			if !out {
				first, second, other, guard = "toId", "fromId", "startNode", ` AND $direction <> 'OUTGOING'`
			}
			if t.Symmetric() {
				guard = ""
			}
			w := ""
			if window {
				w = fmt.Sprintf(streamWindow, other)
			}
			fmt.Fprintf(&b, streamTemplate, t, guard, first, second, w)
		}
	}
	b.WriteString(neighborsTail)
	return b.String()
}

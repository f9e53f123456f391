package neo4j

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

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
// (from Neo4j's degree store) is above $heavy, the larger of $perStream
// and heavyDegree: below $perStream, expanding reads no more than the
// streams would, and below heavyDegree it is cheap enough. From hubs of
// 2,000 and of 8,000 members the statements make the same db hits for a
// limit of 50 (TestHubNeighborsAreBounded).
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

// The neighbors statement comes in two forms. Planning the heavy form,
// with its 36 index streams, took Neo4j 2.1-2.7 s on a warm server and
// 4.3-6.3 s on a fresh one, per form (window or not, typed or not,
// summaries or not): every neighbourhood would have paid that after each
// restart, and a request with a new type filter would have too (the
// outage test's requests timed out after Neo4j restarted). So:
//   - The light form, which every call sends, is the statement from before
//     the indexes, plus a check of the frontier's degrees. When a frontier
//     node is heavy it expands nothing and returns the mark heavyMark
//     instead, sorted first.
//   - The heavy form, sent only then, expands the light nodes in one pass
//     and runs the streams once per heavy node, in a subquery of their
//     own. With the streams under every frontier row, a depth-2
//     neighbourhood from an ordinary node at S measured 88 ms against the
//     peer's 43 in make bench.
// Only neighbourhoods that meet a hub plan the heavy form, once per form
// for the server's life.

// heavyDegree is the degree above which a node is heavy, unless $perStream
// is higher ($heavy is the larger of the two). Below it, expanding a node
// reads at most heavyDegree relationships, a few milliseconds; above it,
// the heavy form's plan is worth its cost. With a threshold of $perStream
// alone, the bundled dataset's Iyad Ag Ghaly (33 relationships) was heavy
// for a neighbourhood of limit 25, and the first such requests after
// Neo4j restarted waited out their deadline while the heavy form was
// planned (TestNeo4jOutage).
const heavyDegree = 1000

// warmTimeout bounds warmHeavyForms.
const warmTimeout = 2 * time.Minute

// warmHeavyForms has Neo4j plan the heavy forms a neighbourhood without a
// type filter sends, by running each with no ids, in the background from
// Open when Config.WarmPlans is set: on a freshly started Neo4j the first hub neighbourhood otherwise
// waited for the plan and passed its 10 s deadline (seen in the bench's
// query run on a Neo4j just started). A form with a type filter is still
// planned on its first use (2-3 s on a warm server). Errors are only
// logged: a cold plan costs time, not answers. These statements bypass
// collect, and so the Observer: they answer no request, and tests that
// count a request's statements would see them.
func (s *Store) warmHeavyForms(ctx context.Context) {
	sess := s.session(ctx, driver.AccessModeRead)
	defer sess.Close(ctx)
	params := neighborParams(nil, nil, network.RelFilter{}, 1)
	for _, light := range []string{neighbors, neighborsAnyTime, withNeighborSummaries(neighbors), withNeighborSummaries(neighborsAnyTime)} {
		res, err := sess.Run(ctx, heavyForm(light), params)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			s.log.DebugContext(ctx, "neo4j: warming the heavy neighbors plans", "err", err)
			return
		}
	}
}

// heavyMark is the id the light form returns when the frontier holds a
// heavy node. No entity has the empty id.
const heavyMark = ""

// neighborsHead finds the frontier and, in the light form, weighs it.
const neighborsHead = `
UNWIND $ids AS id
MATCH (a:Entity {id: id}) USING INDEX SEEK a:Entity(id)` + lightSplit + `
  MATCH (a)-[r]-(b:Entity)
  WHERE type(r) IN $types` + timeWindow + `
  AND ($direction = 'BOTH' OR type(r) IN $symmetric
       OR ($direction = 'OUTGOING' AND startNode(r) = a)
       OR ($direction = 'INCOMING' AND endNode(r) = a))
  RETURN b.id AS id
  UNION ALL`

// lightSplit and heavySplit are the two forms' ways of feeding the
// expansion: all of the frontier or none of it, or its light nodes.
const lightSplit = `
WITH collect(a) AS light, max(COUNT { (a)--() }) > $heavy AS heavy
CALL (light, heavy) {
  UNWIND CASE WHEN heavy THEN [] ELSE light END AS a`

const heavySplit = `
WITH a, COUNT { (a)--() } > $heavy AS heavy
WITH collect(CASE WHEN heavy THEN null ELSE a END) AS light, collect(CASE WHEN heavy THEN a END) AS heavies
CALL (light, heavies) {
  UNWIND light AS a`

// lightMark is how the light form ends its subquery: with heavyMark when
// the frontier holds a heavy node. The heavy form puts its streams there.
const lightMark = `
  WITH heavy WHERE heavy
  RETURN '' AS id
}`

// heavyStreams opens the heavy form's streams subquery; the streams and
// heavyStreamsEnd follow.
const heavyStreams = `
  UNWIND heavies AS a
  CALL (a) {`

const heavyStreamsEnd = `
  }
  RETURN id
}`

// neighborsCut keeps the first $limit ids.
const neighborsCut = `
WITH DISTINCT id WHERE NOT id IN $skip
ORDER BY id
LIMIT $limit`

// neighborsTail is how the plain neighbors statement ends.
const neighborsTail = neighborsCut + `
RETURN id`

// streamTemplate reads a heavy node's neighbours of one type and direction
// from an ordered-neighbour index: %[1]s is the type, %[2]s the direction
// guard, %[3]s and %[4]s the index's first and second properties, %[5]s
// the asOf window or nothing. The streams are joined by UNION ALL.
const streamTemplate = `
    WITH a WHERE '%[1]s' IN $types%[2]s
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

// neighborsQuery builds the light form of the neighbors statement, with
// the asOf window or without it.
func neighborsQuery(window bool) string {
	head := neighborsHead
	if !window {
		head = strings.Replace(head, timeWindow, "", 1)
	}
	return head + lightMark + neighborsTail
}

// heavyForms caches heavyForm's answers.
var heavyForms sync.Map // string → string

// heavyForm returns the heavy form of a light neighbors statement, in any
// of its variants (typed, without the window, with summaries), which
// differ from the plain one only outside the parts replaced here. The
// heavy form carries the light one's name.
func heavyForm(light string) string {
	if v, ok := heavyForms.Load(light); ok {
		return v.(string)
	}
	window := strings.Contains(light, timeWindow)
	var b strings.Builder
	b.WriteString(heavyStreams)
	firstStream := true
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
			if !firstStream {
				b.WriteString("\n    UNION ALL")
			}
			firstStream = false
			fmt.Fprintf(&b, streamTemplate, t, guard, first, second, w)
		}
	}
	b.WriteString(heavyStreamsEnd)
	v := strings.Replace(light, lightSplit, heavySplit, 1)
	v = strings.Replace(v, lightMark, b.String(), 1)
	typedPlain.Store(v, plainQuery(light))
	heavyForms.Store(light, v)
	return v
}

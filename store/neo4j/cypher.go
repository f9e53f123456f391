package neo4j

import (
	"fmt"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// Every query the store sends is a named constant here. Values always travel
// as parameters; the only text ever spliced in is a relationship type from
// the fixed network.RelTypes list (see mergeRelationship), because Cypher 5
// cannot take a relationship type as a parameter in MERGE.
//
// Dates travel as YYYYMMDD integers: every entity has lifeFrom/lifeTo and
// every relationship fromDay/toDay, open ends being network.MinDay and
// network.MaxDay, so "overlaps asOf" is two integer comparisons and an
// absent asOf is the whole axis [MinDay, MaxDay].

// Schema statements, run before a load: the constraints, the full-text
// index and each type's ordered-neighbour indexes (hubs.go).
var schemaStatements = append([]string{
	`CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE`,
	`CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE`,
	`CREATE CONSTRAINT designation_id IF NOT EXISTS FOR (d:Designation) REQUIRE d.id IS UNIQUE`,
	`CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliasText, e.searchText]`,
}, relationshipIndexes...)

// awaitIndexes waits until every index is online.
const awaitIndexes = `CALL db.awaitIndexes($seconds)`

// mergeSources writes a batch of sources.
const mergeSources = `
UNWIND $rows AS row
MERGE (s:Source {id: row.id})
SET s = row
RETURN count(*) AS written`

// mergeEntities writes a batch of entities of one kind; the label to add and
// the label to remove are the two kinds.
const mergePersons = `
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
SET e = row
SET e:Person
REMOVE e:Organization
RETURN count(*) AS written`

const mergeOrganizations = `
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
SET e = row
SET e:Organization
REMOVE e:Person
RETURN count(*) AS written`

// mergeDesignations writes a batch of designations and links them to their
// entity.
const mergeDesignations = `
UNWIND $rows AS row
MATCH (e:Entity {id: row.entity})
MERGE (d:Designation {id: row.props.id})
SET d = row.props
MERGE (e)-[:HAS_DESIGNATION]->(d)
RETURN count(*) AS written`

// mergeRelationshipTemplate writes a batch of relationships of one type; %s
// is a member of network.RelTypes, never input.
const mergeRelationshipTemplate = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
MERGE (a)-[r:%s {id: row.props.id}]->(b)
SET r = row.props
RETURN count(*) AS written`

// mergeRelationship holds one query per relationship type.
var mergeRelationship = perType(mergeRelationshipTemplate)

// perType fills template's %s with each member of network.RelTypes.
func perType(template string) map[network.RelType]string {
	m := make(map[network.RelType]string, len(network.RelTypes))
	for _, t := range network.RelTypes {
		m[t] = fmt.Sprintf(template, t)
	}
	return m
}

// databaseName asks for the name of the database the session runs on: the
// user's home database when the session names none (Open).
const databaseName = `CALL db.info() YIELD name RETURN name`

// loadedCounts counts what the store holds, as countAll does (relationships
// of the contract types that leave an :Entity, so not those of a load still
// staged), but from the count store, without scanning every relationship. Load runs it after its transaction has committed:
// inside a transaction that has written, Neo4j adds up what the transaction
// wrote, which took 1.3 to 1.8 s after a load of scale S (50,000
// relationships).
var loadedCounts = func() string {
	types := strings.Join(network.TypeNames(nil), "|")
	return `
CALL { MATCH (e:Entity) RETURN count(e) AS entities }
CALL { MATCH (:Entity)-[r:` + types + `]->() RETURN count(r) AS relationships }
CALL { MATCH (s:Source) RETURN count(s) AS sources }
CALL { MATCH (d:Designation) RETURN count(d) AS designations }
RETURN entities, relationships, sources, designations`
}()

// storedNodes finds at most one entity, one source and one designation:
// none means a load can stage its dataset with CREATE instead of merging
// it, and the publishing transaction checks it again. It looks nodes up by
// label rather than reading the count store: a transaction that had read
// the count store was measured writing relationships slower (at scale S,
// 2.8 to 4.1 s against 2.4 to 2.5 s).
const storedNodes = `
CALL {
  MATCH (n:Entity) RETURN n LIMIT 1
  UNION ALL
  MATCH (n:Source) RETURN n LIMIT 1
  UNION ALL
  MATCH (n:Designation) RETURN n LIMIT 1
}
RETURN count(n) AS nodes`

// The stage* queries are the fast path of a load into a database that
// holds no entity, source or designation, of a dataset whose ids are
// unique (stage.go). They CREATE, skipping the lookup MERGE does for every
// row, and each batch commits on its own, as a hand-tuned bulk load does.
// The nodes carry staging labels, which no reader matches, and the load's
// id in the property load; publish* then gives them their labels in one
// transaction. They write the same nodes, labels, properties and
// relationships as the merge* queries.

// stageSources writes a batch of sources.
const stageSources = `
UNWIND $rows AS row
CREATE (s:StagedSource)
SET s = row, s.load = $load
RETURN count(*) AS written`

// stagePersons and stageOrganizations write a batch of entities of one
// kind. They return the new nodes' element ids in row order, so that
// stageDesignations and stageRelationship find each endpoint by element id
// seek, which is cheaper than a seek in the id index (measured when the
// load was one transaction: 3.0 s against 5.3 s for the S network's
// relationships), and staged nodes are in no id index anyway.
const stagePersons = `
UNWIND $rows AS row
CREATE (e:StagedPerson)
SET e = row, e.load = $load
RETURN count(*) AS written, collect(elementId(e)) AS elementIds`

const stageOrganizations = `
UNWIND $rows AS row
CREATE (e:StagedOrganization)
SET e = row, e.load = $load
RETURN count(*) AS written, collect(elementId(e)) AS elementIds`

// stageDesignations writes a batch of designations, each linked to its
// entity; row.entity is the entity's element id.
const stageDesignations = `
UNWIND $rows AS row
MATCH (e) WHERE elementId(e) = row.entity
CREATE (e)-[:HAS_DESIGNATION]->(d:StagedDesignation)
SET d = row.props, d.load = $load
RETURN count(*) AS written`

// stageRelationshipTemplate writes a batch of relationships of one type;
// %s is a member of network.RelTypes, never input. row.from and row.to are
// the element ids stagePersons and stageOrganizations returned for the
// endpoints; a row whose endpoint is missing is dropped, and the count
// tells. A staged relationship joins two staged nodes, so no reader, which
// starts from :Entity, reaches it.
const stageRelationshipTemplate = `
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.from
MATCH (b) WHERE elementId(b) = row.to
CREATE (a)-[r:%s]->(b)
SET r = row.props
RETURN count(*) AS written`

// stageRelationship holds one query per relationship type.
var stageRelationship = perType(stageRelationshipTemplate)

// The publish* queries give one load's staged nodes their labels, all in
// one transaction: readers see none of the load, then all of it. The
// uniqueness constraints are checked as the labels arrive.
const publishSources = `
MATCH (n:StagedSource) WHERE n.load = $load
SET n:Source
REMOVE n:StagedSource, n.load
RETURN count(*) AS published`

const publishPersons = `
MATCH (n:StagedPerson) WHERE n.load = $load
SET n:Entity:Person
REMOVE n:StagedPerson, n.load
RETURN count(*) AS published`

const publishOrganizations = `
MATCH (n:StagedOrganization) WHERE n.load = $load
SET n:Entity:Organization
REMOVE n:StagedOrganization, n.load
RETURN count(*) AS published`

const publishDesignations = `
MATCH (n:StagedDesignation) WHERE n.load = $load
SET n:Designation
REMOVE n:StagedDesignation, n.load
RETURN count(*) AS published`

// discardStagedRelationships and discardStagedNodes delete the staged
// nodes of one load ($load), or of every load ($load null: what a killed
// load left), relationships first, in batches of their own transactions,
// so that a hub's relationships do not all land in one.
const discardStagedRelationships = `
MATCH (n:StagedPerson|StagedOrganization) WHERE $load IS NULL OR n.load = $load
MATCH (n)-[r]->()
CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS`

const discardStagedNodes = `
MATCH (n:StagedSource|StagedPerson|StagedOrganization|StagedDesignation) WHERE $load IS NULL OR n.load = $load
CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`

// countAll counts what the store holds; relationships are those of the
// contract types that leave an :Entity, which leaves out a staged load's.
const countAll = `
CALL { MATCH (e:Entity) RETURN count(e) AS entities }
CALL { MATCH (:Entity)-[r]->() WHERE type(r) IN $types RETURN count(r) AS relationships }
CALL { MATCH (s:Source) RETURN count(s) AS sources }
CALL { MATCH (d:Designation) RETURN count(d) AS designations }
RETURN entities, relationships, sources, designations`

// deleteRelationships removes relationships by id (Dataset.DeleteRelationships).
const deleteRelationships = `
UNWIND $ids AS id
MATCH (:Entity)-[r {id: id}]->()
WHERE type(r) IN $types
DELETE r
RETURN count(*) AS deleted`

// deleteEntities removes entities by id with their designations and
// relationships (Dataset.DeleteEntities).
const deleteEntities = `
UNWIND $ids AS id
MATCH (e:Entity {id: id}) USING INDEX SEEK e:Entity(id)
OPTIONAL MATCH (e)-[:HAS_DESIGNATION]->(d:Designation)
DETACH DELETE d
WITH DISTINCT e
DETACH DELETE e
RETURN count(*) AS deleted`

// allEntities reads every entity with its designations (Snapshot).
const allEntities = `
MATCH (e:Entity)
OPTIONAL MATCH (e)-[:HAS_DESIGNATION]->(d:Designation)
RETURN e, collect(d) AS designations`

// allSources reads every source (Snapshot).
const allSources = `
MATCH (s:Source)
RETURN s`

// allRelationships reads every relationship of the contract types
// (Snapshot).
const allRelationships = `
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) IN $types
RETURN r, a.id AS from, b.id AS to`

// deleteAllRelationships and deleteAllNodes empty the database in batches
// of their own transactions, relationships first: a batch of 10,000 nodes
// deleted with their relationships could hold a hub's tens of thousands,
// and at M (1M relationships) Reset then exceeded a 2 GB heap's
// transaction memory.
const deleteAllRelationships = `
MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS`

const deleteAllNodes = `
MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`

// Every lookup of a list of ids (UNWIND $ids ... {id: id}) carries USING
// INDEX SEEK: without it a cached plan scanned the whole id index and
// filtered, once per id (seen in bench/suite BenchmarkProfiles: 10,001 db
// hits per incident statement on the 10,000-entity network, against 1 for
// a seek), and a plain USING INDEX was once met by such a scan too (seen in
// TestIDLookupsSeek). A freshly made plan seeks; SEEK makes every plan do.

// entitiesByID reads entities with their designations.
const entitiesByID = `
UNWIND $ids AS id
MATCH (e:Entity {id: id}) USING INDEX SEEK e:Entity(id)
OPTIONAL MATCH (e)-[:HAS_DESIGNATION]->(d:Designation)
RETURN e, collect(d) AS designations`

// entitiesSummaryByID reads only the fields network.SummaryDetail names,
// for traversals that draw their entities: a whole entity carries its
// search text, identifiers and designations too.
const entitiesSummaryByID = `
UNWIND $ids AS id
MATCH (e:Entity {id: id}) USING INDEX SEEK e:Entity(id)
RETURN e ` + summaryFields + ` AS e, [] AS designations`

// summaryFields projects an entity node onto the fields
// network.SummaryDetail names.
const summaryFields = `{.id, .kind, .name, .aliases, .description, .born, .died, .founded, .dissolved}`

// sourcesByID reads sources.
const sourcesByID = `
UNWIND $ids AS id
MATCH (s:Source {id: id}) USING INDEX SEEK s:Source(id)
RETURN s`

// incident reads the relationships touching any of $ids that match the type,
// direction and asOf filters. Symmetric types match every direction.
const incident = `
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]-(b:Entity) USING INDEX SEEK a:Entity(id)
WHERE type(r) IN $types
  AND r.fromDay <= $last AND r.toDay >= $first
  AND a.lifeFrom <= $last AND a.lifeTo >= $first
  AND b.lifeFrom <= $last AND b.lifeTo >= $first
  AND ($direction = 'BOTH' OR type(r) IN $symmetric
       OR ($direction = 'OUTGOING' AND startNode(r) = a)
       OR ($direction = 'INCOMING' AND endNode(r) = a))
RETURN id, r, startNode(r).id AS from, endNode(r).id AS to`

// neighbors returns the distinct entities joined to $ids by a relationship
// passing the filters, leaving out $skip, first $limit by id: a hub's
// neighbours are ordered and cut inside the database, and only ids travel.
// It reads a hub's first neighbours from ordered indexes (hubs.go).
var neighbors = neighborsQuery(true)

// among returns the relationships passing the filters whose two endpoints
// are both in $ids. It finds the nodes first and tests the far end of each
// relationship it expands against them: testing b.id IN $ids read each far
// end's id, a database hit per relationship expanded, and made two thirds
// of the statement's hits (34,132 from a depth-1 neighbourhood's 16 nodes
// at M, 11,740 now; 23.9 ms then, 10.2-11.8 ms now).
const among = `
UNWIND $ids AS id
MATCH (n:Entity {id: id}) USING INDEX SEEK n:Entity(id)
WITH collect(n) AS nodes
UNWIND nodes AS a
MATCH (a)-[r]->(b)
WHERE b IN nodes
  AND type(r) IN $types
  AND r.fromDay <= $last AND r.toDay >= $first
  AND a.lifeFrom <= $last AND a.lifeTo >= $first
  AND b.lifeFrom <= $last AND b.lifeTo >= $first
RETURN r, a.id AS from, b.id AS to`

// timeWindow is the asOf predicates of incident, neighbors and among. With
// no asOf the window is every day, always true, yet Neo4j still reads four
// properties per relationship it expands to check it; the *AnyTime
// variants leave it out and serve filters without asOf.
const timeWindow = `
  AND r.fromDay <= $last AND r.toDay >= $first
  AND a.lifeFrom <= $last AND a.lifeTo >= $first
  AND b.lifeFrom <= $last AND b.lifeTo >= $first`

// incidentAnyTime, neighborsAnyTime and amongAnyTime are incident,
// neighbors and among without timeWindow.
var (
	incidentAnyTime  = strings.Replace(incident, timeWindow, "", 1)
	neighborsAnyTime = neighborsQuery(false)
	amongAnyTime     = strings.Replace(among, timeWindow, "", 1)
)

// searchCandidates asks the full-text index for candidates, with only the
// fields ranking reads; the store ranks them with network.RankHits, then
// reads the whole entities of the best ones only.
const searchCandidates = `
CALL db.index.fulltext.queryNodes('entity_names', $query, {limit: $candidates}) YIELD node
WHERE size($kinds) = 0 OR node.kind IN $kinds
RETURN node.id AS id, node.kind AS kind, node.name AS name, node.aliases AS aliases,
       node.weakAliases AS weakAliases, node.previousNames AS previousNames,
       node.originalScriptNames AS originalScriptNames`

// shortestPath finds the shortest undirected path whose relationships and
// nodes pass the filters, and keeps the one with the smallest node-id
// sequence, then edge-id sequence. Both predicates are of the all(...) form
// that Neo4j checks during its breadth-first search; anything else (such as
// a test on length(p)) makes it fall back to enumerating every path, so the
// store checks $maxDepth on the result instead. The pattern bound is the
// documented maximum, network.MaxPathDepth.
const shortestPath = `
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = allShortestPaths((a)-[*..10]-(b))
WHERE all(r IN relationships(p) WHERE type(r) IN $types AND r.fromDay <= $last AND r.toDay >= $first)
  AND all(n IN nodes(p) WHERE n.lifeFrom <= $last AND n.lifeTo >= $first)
WITH p ORDER BY [n IN nodes(p) | n.id], [r IN relationships(p) | r.id]
LIMIT 1
RETURN [n IN nodes(p) | n.id] AS nodeIds,
       [r IN relationships(p) | {r: r, from: startNode(r).id, to: endNode(r).id}] AS rels`

// pathSummaries is the column shortestPath gains at SummaryDetail: the
// summaries of the path's nodes, so that it needs no entitiesSummaryByID.
const pathSummaries = `,
       [n IN nodes(p) | n ` + summaryFields + `] AS summaries`

// summaryVariants maps the queries that can bring their entities' summaries
// along to the variant that does: the reads of walks at SummaryDetail,
// which would otherwise read the entities in statements of their own. At
// FullDetail the variants' extra property reads would be wasted.
var summaryVariants = func() map[string]string {
	m := map[string]string{
		lineageReach:        lineageReach + reachSummaries,
		shortestPath:        shortestPath + pathSummaries,
		shortestPathAnyTime: shortestPathAnyTime + pathSummaries,
	}
	for _, q := range chainReach {
		m[q] = q + reachSummaries
	}
	return m
}()

// withSummaries returns the variant of query that brings summaries along.
func withSummaries(query string) string {
	if v, ok := summaryVariants[query]; ok {
		return v
	}
	return query
}

// shortestPathFilter is shortestPath's filter on the path's relationships
// and nodes.
const shortestPathFilter = `
WHERE all(r IN relationships(p) WHERE type(r) IN $types AND r.fromDay <= $last AND r.toDay >= $first)
  AND all(n IN nodes(p) WHERE n.lifeFrom <= $last AND n.lifeTo >= $first)`

// shortestPathAnyTime is shortestPath for a filter that allows every type
// at any time: without the filter, which Neo4j otherwise checks on every
// relationship and node its search meets (4.2 times the peer's db hits on
// the M network, in BenchmarkProfiles).
var shortestPathAnyTime = strings.Replace(shortestPath, shortestPathFilter, "", 1)

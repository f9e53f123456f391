package neo4j

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/network"
)

// openTest connects to the Neo4j that NEO4J_URI names; without one the test
// fails (tools/test.sh starts it).
func openTest(t *testing.T) *Store {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Fatal("NEO4J_URI is not set: run the tests with tools/test.sh, which starts Neo4j")
	}
	s, err := Open(context.Background(), Config{URI: uri, Username: os.Getenv("NEO4J_USERNAME"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}, nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", uri, err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// namedQueries lists every query constant with parameters of the right
// shape.
func namedQueries() map[string]struct {
	query  string
	params map[string]any
} {
	row := map[string]any{"id": "x", "from": "a", "to": "b", "entity": "e", "props": map[string]any{"id": "x"}}
	rows := map[string]any{"rows": []any{row}}
	staged := map[string]any{"rows": []any{row}, "load": "l"}
	load := map[string]any{"load": "l"}
	filter := filterParams([]string{"a"}, network.RelFilter{})
	sp := filterParams(nil, network.RelFilter{})
	sp["from"], sp["to"] = "a", "b"
	q := map[string]struct {
		query  string
		params map[string]any
	}{
		"mergeSources":               {mergeSources, rows},
		"mergePersons":               {mergePersons, rows},
		"mergeOrganizations":         {mergeOrganizations, rows},
		"mergeDesignations":          {mergeDesignations, rows},
		"countAll":                   {countAll, map[string]any{"types": network.TypeNames(nil)}},
		"deleteAllRelationships":     {deleteAllRelationships, nil},
		"deleteAllNodes":             {deleteAllNodes, nil},
		"entitiesByID":               {entitiesByID, map[string]any{"ids": []string{"a"}}},
		"entitiesSummaryByID":        {entitiesSummaryByID, map[string]any{"ids": []string{"a"}}},
		"sourcesByID":                {sourcesByID, map[string]any{"ids": []string{"a"}}},
		"incident":                   {incident, filter},
		"searchCandidates":           {searchCandidates, map[string]any{"query": "ghaly", "candidates": 10, "kinds": []string{}}},
		"shortestPath":               {shortestPath, sp},
		"awaitIndexes":               {awaitIndexes, map[string]any{"seconds": 10}},
		"deleteRelationships":        {deleteRelationships, map[string]any{"ids": []string{"a"}, "types": network.TypeNames(nil)}},
		"deleteEntities":             {deleteEntities, map[string]any{"ids": []string{"a"}}},
		"allEntities":                {allEntities, nil},
		"allSources":                 {allSources, nil},
		"allRelationships":           {allRelationships, map[string]any{"types": network.TypeNames(nil)}},
		"neighbors":                  {neighbors, neighborParams([]string{"a"}, []string{"b"}, network.RelFilter{}, 10)},
		"among":                      {among, filterParams([]string{"a", "b"}, network.RelFilter{})},
		"schemaStatements[0]":        {schemaStatements[0], nil},
		"schemaStatements[3]":        {schemaStatements[3], nil},
		"loadedCounts":               {loadedCounts, nil},
		"storedNodes":                {storedNodes, nil},
		"databaseName":               {databaseName, nil},
		"stageSources":               {stageSources, staged},
		"stagePersons":               {stagePersons, staged},
		"stageOrganizations":         {stageOrganizations, staged},
		"stageDesignations":          {stageDesignations, staged},
		"publishSources":             {publishSources, load},
		"publishPersons":             {publishPersons, load},
		"publishOrganizations":       {publishOrganizations, load},
		"publishDesignations":        {publishDesignations, load},
		"discardStagedRelationships": {discardStagedRelationships, load},
		"discardStagedNodes":         {discardStagedNodes, load},
	}
	q["shortestPath[anyTime]"] = struct {
		query  string
		params map[string]any
	}{shortestPathAnyTime, sp}
	// The AnyTime variants carry their plain query's name.
	for name, query := range map[string]string{"incident[anyTime]": incidentAnyTime, "neighbors[anyTime]": neighborsAnyTime, "among[anyTime]": amongAnyTime} {
		p := filter
		switch name {
		case "neighbors[anyTime]":
			p = neighborParams([]string{"a"}, []string{"b"}, network.RelFilter{}, 10)
		case "among[anyTime]":
			p = filterParams([]string{"a", "b"}, network.RelFilter{})
		}
		q[name] = struct {
			query  string
			params map[string]any
		}{query, p}
	}
	allegiance := []network.RelType{network.PledgedAllegianceTo, network.AffiliateOf}
	q["incident[typed]"] = struct {
		query  string
		params map[string]any
	}{typed(incident, allegiance), filter}
	q["neighbors[typed]"] = struct {
		query  string
		params map[string]any
	}{typed(neighbors, allegiance), neighborParams([]string{"a"}, []string{"b"}, network.RelFilter{}, 10)}
	q["among[typed]"] = struct {
		query  string
		params map[string]any
	}{typed(among, allegiance), filterParams([]string{"a", "b"}, network.RelFilter{})}
	for t, query := range mergeRelationship {
		q["mergeRelationship["+string(t)+"]"] = struct {
			query  string
			params map[string]any
		}{query, rows}
	}
	reach := filterParams(nil, network.RelFilter{})
	reach["id"], reach["cap"] = "a", 10
	q["lineageReach"] = struct {
		query  string
		params map[string]any
	}{lineageReach, reach}
	for d, query := range chainReach {
		q[fmt.Sprintf("chainReach[%d]", d)] = struct {
			query  string
			params map[string]any
		}{query, reach}
	}
	for t, query := range stageRelationship {
		q["stageRelationship["+string(t)+"]"] = struct {
			query  string
			params map[string]any
		}{query, staged}
	}
	for name, query := range map[string]string{"neighbors[summaries]": neighbors, "neighbors[anyTime,summaries]": neighborsAnyTime} {
		q[name] = struct {
			query  string
			params map[string]any
		}{withNeighborSummaries(query), neighborParams([]string{"a"}, []string{"b"}, network.RelFilter{}, 10)}
	}
	// The heavy form of each form of neighbors (hubs.go).
	heavy := map[string]string{}
	for name, c := range q {
		if strings.HasPrefix(name, "neighbors") {
			heavy[name] = heavyForm(c.query)
		}
	}
	for name, query := range heavy {
		q[name+"[heavy]"] = struct {
			query  string
			params map[string]any
		}{query, q[name].params}
	}
	// Each query's variant with summaries, under its name.
	for name, c := range q {
		if v, ok := summaryVariants[c.query]; ok {
			q[name+"[summaries]"] = struct {
				query  string
				params map[string]any
			}{v, c.params}
		}
	}
	return q
}

// Every named query compiles and plans on the real Neo4j.
func TestQueriesPlan(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatalf("EnsureSchema: %v", err)
	}
	for name, q := range namedQueries() {
		t.Run(name, func(t *testing.T) {
			if strings.HasPrefix(strings.TrimSpace(q.query), "CALL db.awaitIndexes") || strings.HasPrefix(q.query, "CREATE") {
				// Procedures with side effects and schema commands cannot be
				// EXPLAINed; EnsureSchema above ran them for real.
				return
			}
			sess := s.session(ctx, driver.AccessModeRead)
			defer sess.Close(ctx)
			res, err := sess.Run(ctx, "EXPLAIN "+q.query, q.params)
			if err != nil {
				t.Fatalf("EXPLAIN %s: %v", name, err)
			}
			if _, err := res.Consume(ctx); err != nil {
				t.Fatalf("EXPLAIN %s: %v", name, err)
			}
		})
	}
}

// The shortest-path plan must not contain the exhaustive fallback, which
// enumerates every path and made 400 queries on 40 nodes take minutes.
func TestShortestPathHasNoFallback(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	sess := s.session(ctx, driver.AccessModeRead)
	defer sess.Close(ctx)
	for _, name := range []string{"shortestPath", "shortestPath[anyTime]"} {
		q := namedQueries()[name]
		checkShortestPathPlan(t, ctx, sess, name, q.query, q.params)
	}
}

func checkShortestPathPlan(t *testing.T, ctx context.Context, sess driver.SessionWithContext, name, query string, params map[string]any) {
	t.Helper()
	res, err := sess.Run(ctx, "EXPLAIN "+query, params)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	var walk func(p driver.Plan)
	walk = func(p driver.Plan) {
		ops = append(ops, p.Operator())
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(sum.Plan())
	plan := strings.Join(ops, " ")
	if !strings.Contains(plan, "ShortestPath") || strings.Contains(plan, "VarLengthExpand") {
		t.Errorf("%s plan: got operators %s, want ShortestPath and no VarLengthExpand fallback", name, plan)
	}
}

// The constant bound in the shortestPath pattern is the documented maximum.
func TestShortestPathBound(t *testing.T) {
	want := "[*.." + strconv.Itoa(network.MaxPathDepth) + "]"
	if !strings.Contains(shortestPath, want) {
		t.Errorf("shortestPath pattern: want bound %s (network.MaxPathDepth)", want)
	}
}

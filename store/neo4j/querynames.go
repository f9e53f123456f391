package neo4j

// queryNames gives each query of cypher.go a short, stable name. The
// relationship and schema queries, one per type or statement, share a name
// so that the set of names stays small.
var queryNames = func() map[string]string {
	m := map[string]string{
		awaitIndexes:               "awaitIndexes",
		mergeSources:               "mergeSources",
		mergePersons:               "mergePersons",
		mergeOrganizations:         "mergeOrganizations",
		mergeDesignations:          "mergeDesignations",
		countAll:                   "countAll",
		deleteAllRelationships:     "deleteAllRelationships",
		deleteAllNodes:             "deleteAllNodes",
		entitiesByID:               "entitiesByID",
		entitiesSummaryByID:        "entitiesSummaryByID",
		sourcesByID:                "sourcesByID",
		incident:                   "incident",
		searchCandidates:           "searchCandidates",
		shortestPath:               "shortestPath",
		shortestPathAnyTime:        "shortestPath",
		deleteRelationships:        "deleteRelationships",
		deleteEntities:             "deleteEntities",
		allEntities:                "allEntities",
		allSources:                 "allSources",
		allRelationships:           "allRelationships",
		neighbors:                  "neighbors",
		among:                      "among",
		incidentAnyTime:            "incident",
		neighborsAnyTime:           "neighbors",
		amongAnyTime:               "among",
		loadedCounts:               "loadedCounts",
		storedNodes:                "storedNodes",
		databaseName:               "databaseName",
		stageSources:               "stageSources",
		stagePersons:               "stagePersons",
		stageOrganizations:         "stageOrganizations",
		stageDesignations:          "stageDesignations",
		publishSources:             "publishSources",
		publishPersons:             "publishPersons",
		publishOrganizations:       "publishOrganizations",
		publishDesignations:        "publishDesignations",
		discardStagedRelationships: "discardStagedRelationships",
		discardStagedNodes:         "discardStagedNodes",
	}
	for _, q := range schemaStatements {
		m[q] = "schemaStatements"
	}
	for _, q := range mergeRelationship {
		m[q] = "mergeRelationship"
	}
	for _, q := range stageRelationship {
		m[q] = "stageRelationship"
	}
	for _, q := range chainReach {
		m[q] = "chainReach"
	}
	m[lineageReach] = "lineageReach"
	for plain, variant := range summaryVariants {
		m[variant] = m[plain]
	}
	return m
}()

// QueryName returns the short, stable name of a query the store runs, as an
// Observer receives it: the name of its constant in cypher.go, such as
// "incident" or "shortestPath". It returns "other" for any other text, so
// that it can label metrics without unbounded cardinality.
func QueryName(query string) string {
	if name, ok := queryNames[plainQuery(query)]; ok {
		return name
	}
	return "other"
}

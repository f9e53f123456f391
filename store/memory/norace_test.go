//go:build !race

package memory

// searchQueriesAtS is how many queries TestSearchMatchesRankingEverything
// compares at scale S, each against a ranking of all 10,000 entities.
const searchQueriesAtS = 200

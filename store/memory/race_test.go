//go:build race

package memory

// searchQueriesAtS is fewer under the race detector, which makes ranking
// every entity ten times slower.
const searchQueriesAtS = 25

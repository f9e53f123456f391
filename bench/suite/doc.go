// Package suite is the benchmark suite of issue 5, run by
// tools/bench-suite.sh (`make bench`): loader throughput into Neo4j (ours,
// a naive per-record MERGE loop, a hand-tuned UNWIND ceiling), query
// latency and throughput of four servers side by side, and the embedded
// store's load time and memory. Its benchmarks carry the build tag
// "bench", so `go test ./...` does not run them:
//
//	BENCH_SCALE=S NEO4J_URI=bolt://127.0.0.1:7703 go test -tags bench -run '^$' -bench . ./bench/suite/
//
// The servers:
//
//	a  this project's GraphQL over Neo4j (bench-server -store neo4j, /graphql)
//	b  the same store calls, hence the same Cypher through the same Go
//	   driver, over plain JSON (bench-server /direct): the ceiling for a
//	c  the peer, @neo4j/graphql 7.6.3 with @apollo/server 5 (bench/peer)
//	d  this project's GraphQL over the embedded store (bench-server -store memory)
//
// The servers run as separate processes, pinned with taskset to CPU 0
// (with Neo4j, which the script starts pinned there too) while this
// process, the load generator, is pinned to CPU 1 by the script.
package suite

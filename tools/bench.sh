#!/usr/bin/env bash
# Benchmarks: the contract queries on both stores and the load into Neo4j,
# in one `go test -bench` run, output readable by benchstat. Starts its own
# Neo4j like tools/test.sh.
#
#   tools/bench.sh                 # writes bench/out/foundation.txt too
#   tools/bench.sh -count 5        # extra arguments go to `go test`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. tools/lib/neo4j.sh
ensure_neo4j "${ALLEGIANCE_BENCH_BOLT_PORT:-7698}"
mkdir -p bench/out
go test -run '^$' -bench . -benchmem "$@" ./store/ | tee bench/out/foundation.txt

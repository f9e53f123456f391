#!/usr/bin/env bash
# The long soak test: 5 minutes at 32 concurrent clients mixing every
# contract query against a real Neo4j, without -race. It fails on any error,
# any changed answer, a WARN/ERROR log line, resident memory growing over
# 10% after warm-up, or a goroutine leak. tools/test.sh runs a 60 s version.
#
#   tools/soak.sh                                   # 5m, 32 clients
#   ALLEGIANCE_SOAK_DURATION=15m tools/soak.sh      # longer
# Env: ALLEGIANCE_SOAK_DURATION (5m), ALLEGIANCE_SOAK_WARMUP (30s),
#      ALLEGIANCE_SOAK_CLIENTS (32), ALLEGIANCE_SOAK_MAX_REQUESTS (0: no cap),
#      NEO4J_URI to use your own Neo4j (its database is replaced).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. tools/lib/neo4j.sh
ensure_neo4j "${ALLEGIANCE_SOAK_BOLT_PORT:-7696}"
export ALLEGIANCE_SOAK_DURATION="${ALLEGIANCE_SOAK_DURATION:-5m}"
go test -tags soak -count=1 -run TestSoak -timeout 60m ./bench/soak/ -v

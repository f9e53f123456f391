#!/usr/bin/env bash
# The whole test suite: gofmt, go vet, the generated code up to date, then
# every test under -race against both stores. It starts a real Neo4j 5.26
# (tools/neo4j/neo4j.sh) on its own port and stops it afterwards; a Neo4j
# test never skips.
#
#   tools/test.sh              # everything
#   tools/test.sh -run Search  # extra arguments go to `go test`
#
# Env: ALLEGIANCE_TEST_BOLT_PORT (default 7697), or NEO4J_URI to use a
# Neo4j you started yourself (its database is emptied by the tests);
# ALLEGIANCE_SOAK_DURATION (default 5m) for the soak test that runs last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*" >&2; }

step "gofmt"
unformatted=$(git ls-files -z '*.go' | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi

step "go vet"
go vet ./...

step "generated GraphQL code is up to date"
before=$(cat graph/generated.go graph/model/models_gen.go | sha256sum)
go tool gqlgen generate --config gqlgen.yml
after=$(cat graph/generated.go graph/model/models_gen.go | sha256sum)
if [ "$before" != "$after" ]; then
  echo "graph/generated.go was stale: run 'go tool gqlgen generate' and commit the result" >&2
  exit 1
fi

step "Neo4j"
. tools/lib/neo4j.sh
ensure_neo4j "${ALLEGIANCE_TEST_BOLT_PORT:-7697}"

step "npm ci: graphql-http for the GraphQL-over-HTTP audit (cmd/allegiance/audit_test.go)"
npm ci --prefix tools/graphql-http-audit --no-audit --no-fund >&2

step "export checkers: xmllint, networkx venv and cytoscape/graphology (export/thirdparty_test.go)"
tools/export-check/setup.sh

step "go test -race (both stores; packages run one at a time because they share the Neo4j)"
go test -race -count=1 -p 1 -timeout 30m "$@" ./...

step "browser tests: the explorer and GraphiQL in Debian's Chromium, npm build if needed (tools/web-test.sh)"
tools/web-test.sh

step "fuzz: each target briefly (run one longer with -fuzztime 60s to hunt)"
# Budgets are counts, about five seconds' worth each: with a duration, Go
# 1.26's fuzz coordinator can report "context deadline exceeded" as a
# failure when the time runs out while a worker is mid-call, with no
# failing input (golang/go#75804, fixed in Go 1.27); it failed CI once on
# FuzzGraphQLRequest that way. A count has no deadline to race.
go test -run '^$' -fuzz '^FuzzParsePartialDate$' -fuzztime 200000x ./network/
go test -run '^$' -fuzz '^FuzzSearch$' -fuzztime 5000x ./network/
go test -run '^$' -fuzz '^FuzzReadYAML$' -fuzztime 5000x ./loader/
go test -run '^$' -fuzz '^FuzzGraphQLRequest$' -fuzztime 15000x ./graph/
go test -run '^$' -fuzz '^FuzzRead$' -fuzztime 20000x ./loader/unsc/
go test -run '^$' -fuzz '^FuzzRead$' -fuzztime 20000x ./loader/ftm/
go test -run '^$' -fuzz '^FuzzRead$' -fuzztime 20000x ./loader/csvimport/

# The test suite runs a short soak; tools/soak.sh runs the long one (5 min).
export ALLEGIANCE_SOAK_DURATION="${ALLEGIANCE_SOAK_DURATION:-60s}"
export ALLEGIANCE_SOAK_WARMUP="${ALLEGIANCE_SOAK_WARMUP:-20s}"
step "soak (short): $ALLEGIANCE_SOAK_DURATION at ${ALLEGIANCE_SOAK_CLIENTS:-32} clients against Neo4j, without -race (bench/soak)"
go test -tags soak -count=1 -run TestSoak -timeout 20m ./bench/soak/ -v

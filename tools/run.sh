#!/usr/bin/env bash
# The README's run command: builds the explorer and GraphiQL (web/dist) when
# they are missing or stale, then runs `allegiance serve` with the arguments
# given. The pages are embedded in the binary, so a go:generate step or a
# plain `go run` could not build them first: `go run ./cmd/allegiance serve`
# still works without Node and serves a page saying how to build them.
#
#   tools/run.sh                      # explorer at http://127.0.0.1:8080/
#   tools/run.sh --addr 127.0.0.1:9000 --data mydata/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/web-build.sh
exec go run ./cmd/allegiance serve "$@"

#!/usr/bin/env bash
# Builds the explorer and GraphiQL (web/ → web/dist, embedded in the binary)
# when the build is missing or older than its sources. Needs Node 20 and npm;
# the npm registry is needed only here, never when the pages are browsed.
#
#   tools/web-build.sh           # only when needed
#   tools/web-build.sh --force   # always
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

needed() {
  [ "${1:-}" = --force ] && return 0
  [ -f web/dist/index.html ] || return 0
  # README.md counts: GraphiQL's tabs are its example queries.
  [ -n "$(find web/index.html web/graphiql.html web/vite.config.js web/package.json web/package-lock.json web/src README.md \
    -newer web/dist/index.html -print -quit)" ]
}
needed "${1:-}" || exit 0

if ! command -v npm >/dev/null; then
  echo "npm not found: install Node 20 and npm to build the explorer," >&2
  echo "or run 'go run ./cmd/allegiance serve', which serves the API and a page saying how to build it" >&2
  exit 1
fi
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "npm ci in web/" >&2
  npm ci --prefix web --no-audit --no-fund >&2
fi
echo "building the explorer and GraphiQL into web/dist" >&2
npm run --prefix web --silent build >&2

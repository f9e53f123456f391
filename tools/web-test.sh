#!/usr/bin/env bash
# Browser tests of the explorer and GraphiQL (web/tests/*.test.mjs): Debian's
# Chromium, driven by playwright-core, against the real server on the
# embedded store. Two servers run on free loopback ports: one with the
# bundled dataset, one with a seeded synthetic 2,000-node network for the
# scale test. Screenshots and figures go to web/test-results/.
#
#   tools/web-test.sh
#
# Env: ALLEGIANCE_BIN to test a binary already built (default: build
# ./cmd/allegiance); CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "installing Debian's chromium (apt-get)" >&2
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi

tools/web-build.sh
[ -d web/node_modules/playwright-core ] || npm ci --prefix web --no-audit --no-fund >&2

rm -rf web/test-results   # screenshots of this run only
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

bin=${ALLEGIANCE_BIN:-}
if [ -z "$bin" ]; then
  bin=$tmp/allegiance
  go build -o "$bin" ./cmd/allegiance
fi

# start NAME ARGS…: runs `serve` on a free port and sets $url.
start() {
  local name=$1; shift
  : >"$tmp/$name.out"
  "$bin" serve --addr 127.0.0.1:0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.log" &
  pids+=("$!")
  url=
  for _ in $(seq 150); do
    url=$(sed -n 's#^serving GraphQL at \(http://[^ ]*\)/graphql$#\1#p' "$tmp/$name.out")
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  echo "the $name server did not start; its log:" >&2
  cat "$tmp/$name.log" >&2
  exit 1
}

root=$(node web/tests/gen-dataset.mjs "$tmp/synthetic" 2000 20240601)
start bundled
bundled=$url
start scale --data "$tmp/synthetic"
scale=$url

cd web
ALLEGIANCE_URL=$bundled ALLEGIANCE_SCALE_URL=$scale ALLEGIANCE_SCALE_ROOT=$root CHROMIUM=$chromium \
  node --test --test-concurrency=1 --test-reporter=spec tests/explorer.test.mjs tests/scale.test.mjs

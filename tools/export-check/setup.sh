#!/usr/bin/env bash
# Installs what export/thirdparty_test.go runs the exports through:
#   - xmllint (Debian's libxml2-utils), to validate GEXF against the 1.3 XSD;
#   - a Python venv at tools/export-check/.venv with networkx (requirements.txt);
#   - node_modules with cytoscape and graphology (package-lock.json, npm ci).
# Idempotent: each part is skipped when it is already in place and up to date.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v xmllint >/dev/null 2>&1; then
  echo "export-check: installing xmllint (libxml2-utils)" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq libxml2-utils >&2
fi

# The venv is rebuilt when it is missing or broken, or requirements.txt
# changed since it was made.
stamp=.venv/requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if ! .venv/bin/python -c 'import networkx' 2>/dev/null || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "export-check: creating .venv with $(python3 --version)" >&2
  python3 -m venv --clear .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt >&2
  echo "$want" >"$stamp"
fi

# npm ci wipes node_modules; it runs again only when package-lock.json
# changed since the last install.
lockstamp=node_modules/.export-check-lock.sha256
lockwant=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$lockstamp" 2>/dev/null)" != "$lockwant" ] ||
  [ ! -f node_modules/cytoscape/package.json ] || [ ! -f node_modules/graphology/package.json ]; then
  echo "export-check: npm ci" >&2
  npm ci --no-audit --no-fund >&2
  echo "$lockwant" >"$lockstamp"
fi

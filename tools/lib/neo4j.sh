# shellcheck shell=bash
# Sourced by tools/test.sh, tools/bench.sh and tools/soak.sh: unless
# NEO4J_URI names a Neo4j already, start the project's own on the given port
# (tools/neo4j/neo4j.sh), export NEO4J_URI, and stop it when the script exits.
#
#   ensure_neo4j PORT
ensure_neo4j() {
  if [ -z "${NEO4J_URI:-}" ]; then
    export NEO4J_BOLT_PORT="$1"
    trap 'tools/neo4j/neo4j.sh stop >&2 || true' EXIT
    NEO4J_URI=$(tools/neo4j/neo4j.sh start | tail -n 1)
    export NEO4J_URI
  fi
  echo "NEO4J_URI=$NEO4J_URI" >&2
}

#!/usr/bin/env bash
# Local Neo4j 5.26 Community for tests, without Docker.
#
#   tools/neo4j/neo4j.sh start    # prints bolt://127.0.0.1:PORT as the last line of stdout
#   tools/neo4j/neo4j.sh status   # "running ..." (exit 0) or "not running" (exit 3)
#   tools/neo4j/neo4j.sh stop
#
# Env: NEO4J_BOLT_PORT (7687), NEO4J_HOME_DIR (fresh mktemp dir, removed on stop),
#      NEO4J_HEAP (768m), NEO4J_PAGECACHE (256m), NEO4J_DIRECT_MEMORY (256m),
#      NEO4J_START_TIMEOUT (180 s), NEO4J_STOP_TIMEOUT (60 s), JAVA_HOME, MVN.
# See README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
TARGET="$SCRIPT_DIR/target"
LIB="$TARGET/lib"
CLASSES="$TARGET/classes"
SRC="$SCRIPT_DIR/src/main/java/allegiance/neo4j/Launcher.java"
MAIN_CLASS="allegiance.neo4j.Launcher"

PORT="${NEO4J_BOLT_PORT:-7687}"
HEAP="${NEO4J_HEAP:-768m}"
PAGECACHE="${NEO4J_PAGECACHE:-256m}"
DIRECT_MEMORY="${NEO4J_DIRECT_MEMORY:-256m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"
STATE_DIR="${TMPDIR:-/tmp}"
STATE_DIR="${STATE_DIR%/}"
PID_FILE="$STATE_DIR/allegiance-neo4j-$PORT.pid"    # pid of the JVM
HOME_FILE="$STATE_DIR/allegiance-neo4j-$PORT.home"  # line 1: home dir, line 2: 1 if we created it
URI="bolt://127.0.0.1:$PORT"

# JVM flags: the ones Neo4j 5 ships in conf/neo4j.conf (server.jvm.additional) that matter
# on Java 17, minus -XX:+AlwaysPreTouch (it would commit the whole heap up front).
JVM_FLAGS=(
  "-Xmx$HEAP"
  "-XX:MaxDirectMemorySize=$DIRECT_MEMORY"
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  -XX:+UnlockExperimentalVMOptions
  -XX:+TrustFinalNonStaticFields
  -XX:+DisableExplicitGC
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  -Djdk.tls.ephemeralDHKeySize=2048
  -Djdk.tls.rejectClientInitiatedRenegotiation=true
  -Dlog4j2.disable.jmx=true
  -Dfile.encoding=UTF-8
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
)

say() { echo "neo4j.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

case "$PORT" in
  '' | *[!0-9]*) die "NEO4J_BOLT_PORT must be a port number, got '$PORT'" ;;
esac

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java || die "java not found (Java 17 or 21 is required)"
  fi
}

javac_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]]; then
    echo "$JAVA_HOME/bin/javac"
  else
    command -v javac || die "javac not found (a JDK 17 or 21 is required)"
  fi
}

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# Download the jars (once per pom.xml content) and compile the launcher (once per source).
prepare() {
  mkdir -p "$TARGET"
  exec 9>"$TARGET/.lock"
  flock 9 # serialise concurrent starts on a fresh checkout

  local pom_hash
  pom_hash="$(hash_of "$SCRIPT_DIR/pom.xml")"
  if [[ "$(cat "$LIB/.stamp" 2>/dev/null || true)" != "$pom_hash" ]]; then
    local mvn="${MVN:-mvn}"
    command -v "$mvn" >/dev/null || die "maven ('mvn') not found; it is needed once to fetch Neo4j"
    say "fetching Neo4j jars from Maven Central (first run only)..."
    rm -rf "$LIB" "$CLASSES"
    # mvn writes to stdout; keep our stdout for the URI only (and drop stray colour resets).
    if ! "$mvn" -B -q -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies 2>&1 |
      sed 's/\x1b\[[0-9;]*m//g' >&2; then
      rm -rf "$LIB"
      die "mvn dependency:copy-dependencies failed"
    fi
    echo "$pom_hash" >"$LIB/.stamp"
  fi

  local src_hash
  src_hash="$(hash_of "$SRC" "$LIB/.stamp")"
  if [[ "$(cat "$CLASSES/.stamp" 2>/dev/null || true)" != "$src_hash" ]]; then
    rm -rf "$CLASSES"
    mkdir -p "$CLASSES"
    "$(javac_bin)" -nowarn --release 17 -encoding UTF-8 -cp "$LIB/*" -d "$CLASSES" "$SRC" 1>&2 \
      || die "compiling the launcher failed"
    echo "$src_hash" >"$CLASSES/.stamp"
  fi

  flock -u 9
  exec 9>&-
}

# Prints the pid if our launcher for this port is alive.
running_pid() {
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS" || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

state_home() { sed -n 1p "$HOME_FILE" 2>/dev/null || true; }
state_created() { sed -n 2p "$HOME_FILE" 2>/dev/null || true; }

clear_state() {
  local home created
  home="$(state_home)"
  created="$(state_created)"
  if [[ "$created" == 1 && -n "$home" && -d "$home" && "$home" == "$STATE_DIR"/allegiance-neo4j-* ]]; then
    rm -rf "$home"
  fi
  rm -f "$PID_FILE" "$HOME_FILE"
}

log_tail() {
  local log="$1"
  if [[ -f "$log" ]]; then
    say "last lines of $log:"
    tail -n 40 "$log" >&2 || true
  fi
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running on port $PORT (pid $pid, home $(state_home))"
    echo "$URI"
    return 0
  fi
  [[ -f "$PID_FILE" || -f "$HOME_FILE" ]] && clear_state # stale state from a dead instance
  port_open && die "port $PORT is already in use by another process; set NEO4J_BOLT_PORT"

  prepare
  rm -f "$STATE_DIR/allegiance-neo4j-$PORT.failed.log"

  local home created
  if [[ -n "${NEO4J_HOME_DIR:-}" ]]; then
    mkdir -p "$NEO4J_HOME_DIR"
    home="$(cd "$NEO4J_HOME_DIR" && pwd -P)"
    created=0
  else
    home="$(mktemp -d "$STATE_DIR/allegiance-neo4j-$PORT.XXXXXX")"
    created=1
  fi
  mkdir -p "$home/logs" "$home/run"
  rm -f "$home/run/ready"
  local log="$home/logs/launcher.log"

  local java
  java="$(java_bin)"
  say "starting Neo4j on port $PORT (home $home, heap $HEAP, page cache $PAGECACHE)"
  nohup "$java" "${JVM_FLAGS[@]}" -cp "$CLASSES:$LIB/*" "$MAIN_CLASS" \
    "$home" "$PORT" "$PAGECACHE" >"$log" 2>&1 </dev/null &
  pid=$!
  disown "$pid" 2>/dev/null || true # no "Killed" job notice from bash
  echo "$pid" >"$PID_FILE"
  printf '%s\n%s\n' "$home" "$created" >"$HOME_FILE"
  echo "$pid" >"$home/run/neo4j.pid"

  local waited=0
  while [[ ! -f "$home/run/ready" ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail "$log"
      [[ "$created" == 1 ]] && cp "$log" "$STATE_DIR/allegiance-neo4j-$PORT.failed.log" 2>/dev/null &&
        say "log kept in $STATE_DIR/allegiance-neo4j-$PORT.failed.log"
      clear_state
      die "Neo4j exited during startup"
    fi
    if ((waited >= START_TIMEOUT * 5)); then
      log_tail "$log"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null && sleep 0.5; done
      [[ "$created" == 1 ]] && cp "$log" "$STATE_DIR/allegiance-neo4j-$PORT.failed.log" 2>/dev/null &&
        say "log kept in $STATE_DIR/allegiance-neo4j-$PORT.failed.log"
      clear_state
      die "Neo4j did not become ready within ${START_TIMEOUT}s"
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  say "ready: Neo4j $(cut -d' ' -f2 "$home/run/ready") (pid $pid) after ~$((waited / 5))s"
  echo "$URI"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running on port $PORT"
    clear_state
    return 0
  fi
  say "stopping Neo4j on port $PORT (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= STOP_TIMEOUT * 5)); then
      say "still running after ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  clear_state
  say "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid, $URI, home $(state_home))"
  else
    echo "not running ($URI)"
    return 3
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start|stop|status   (env: NEO4J_BOLT_PORT, NEO4J_HOME_DIR, NEO4J_HEAP, NEO4J_PAGECACHE)" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# A real single-node KRaft Kafka broker assembled from Maven Central jars (no tarball, no Docker).
#
#   scripts/kafka/kafka.sh start    assemble jars (once), format storage (once), start, wait until ready;
#                                   nothing when it already runs, or when KAFKA_BROKERS names another cluster
#   scripts/kafka/kafka.sh stop     SIGTERM, wait for a clean shutdown
#   scripts/kafka/kafka.sh status   exit 0 when running, 3 when not
#   scripts/kafka/kafka.sh reset    delete the broker's data (only while stopped)
#   scripts/kafka/kafka.sh tool NAME [ARGS...]
#                                   run a Kafka command-line tool (jars assembled on first use):
#                                   topics | producer-perf | consumer-perf | console-producer | console-consumer | a class name
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP (512m),
# KAFKA_HOME (<repo>/.kafka), KAFKA_LIBS (KAFKA_HOME/libs: brokers with their own KAFKA_HOME may share jars),
# KAFKA_READY_TIMEOUT (seconds, 90), KAFKA_STOP_TIMEOUT (seconds, 30).
# For brokers built on this script (scripts/kafka/secure-broker.sh): KAFKA_SERVER_TEMPLATE (the
# server.properties template, default scripts/kafka/server.properties) and KAFKA_FORMAT_ARGS (more
# options of the storage format, e.g. --add-scram ...; split on whitespace).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
KAFKA_HOME=${KAFKA_HOME:-$ROOT/.kafka}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
KAFKA_HEAP=${KAFKA_HEAP:-512m}
KAFKA_READY_TIMEOUT=${KAFKA_READY_TIMEOUT:-90}
KAFKA_STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}

LIBS=${KAFKA_LIBS:-$KAFKA_HOME/libs}
TOOLS_LIBS=$KAFKA_HOME/tools-libs
DATA=$KAFKA_HOME/data
LOGS=$KAFKA_HOME/logs
LOG=$LOGS/server.log
CONF=$KAFKA_HOME/server.properties
PID_FILE=$KAFKA_HOME/kafka.pid

say() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not on PATH ($2)"; }

# Copies the jars a pom lists into a folder, unless the folder already holds them for this very pom.
# The stamp records the pom's checksum, so editing a version re-assembles from scratch.
assemble() {
  local pom=$1 dir=$2 property=$3
  local sum
  sum=$(sha256sum "$pom" | cut -d' ' -f1)
  if [[ -f $dir/.assembled && $(cat "$dir/.assembled") == "$sum" ]]; then return 0; fi
  # Brokers sharing the jars (secure-broker.sh) may start at once: one assembles, the others wait
  # for it here and then find its stamp (two Maven runs copying into one folder fail).
  mkdir -p "$(dirname "$dir")"
  local lock
  exec {lock}>"$dir.lock"
  flock "$lock"
  if [[ -f $dir/.assembled && $(cat "$dir/.assembled") == "$sum" ]]; then exec {lock}>&-; return 0; fi
  need mvn 'Maven 3.8+ assembles the broker from Maven Central'
  say "assembling jars from Maven Central into ${dir#"$ROOT"/} (first time only; ~/.m2 caches them)"
  local started=$SECONDS
  rm -rf "$dir"
  mkdir -p "$dir"
  if ! mvn -B -q -f "$pom" "-D$property=$dir" package >"$KAFKA_HOME/assemble.log" 2>&1; then
    tail -n 30 "$KAFKA_HOME/assemble.log" >&2
    die "assembling failed; full output in $KAFKA_HOME/assemble.log"
  fi
  echo "$sum" >"$dir/.assembled"
  exec {lock}>&-
  say "assembled $(find "$dir" -name '*.jar' | wc -l) jars in $((SECONDS - started)) s"
}

# Kafka's Uuid: 16 random bytes, base64url without padding, never starting with '-' (confuses CLIs).
cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    [[ $id != -* ]] && { echo "$id"; return; }
  done
}

render_config() {
  sed -e "s|@PORT@|$KAFKA_PORT|g" \
      -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@DATA_DIR@|$DATA|g" \
      "${KAFKA_SERVER_TEMPLATE:-$SCRIPT_DIR/server.properties}" >"$CONF"
}

java_opts() {
  printf '%s\n' "-Xms$KAFKA_HEAP" "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$SCRIPT_DIR/log4j2.properties"
}

format_storage() {
  if [[ -f $DATA/meta.properties ]]; then return 0; fi
  local id
  id=$(cluster_id)
  say "formatting storage in ${DATA#"$ROOT"/} (cluster id $id)"
  mkdir -p "$DATA"
  local opts extra
  mapfile -t opts < <(java_opts)
  read -ra extra <<<"${KAFKA_FORMAT_ARGS:-}"
  # -g: an already formatted directory is fine. No --standalone: the quorum is static
  # (controller.quorum.voters), and 4.1 rejects the combination.
  java "${opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format -g -t "$id" -c "$CONF" "${extra[@]}" \
    >"$LOGS/format.log" 2>&1 || { cat "$LOGS/format.log" >&2; die "formatting storage failed"; }
}

# The pid in the pid file, if that process is alive and is our broker (not a recycled pid).
running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $CONF" || return 1
  echo "$pid"
}

# Whether a broker this script started from another checkout (another KAFKA_HOME) listens on KAFKA_PORT.
other_broker_listening() {
  local cmdline
  for cmdline in /proc/[0-9]*/cmdline; do
    tr '\0' ' ' <"$cmdline" 2>/dev/null | grep -q ' kafka.Kafka .*server.properties' || continue
    local conf
    conf=$(tr '\0' '\n' <"$cmdline" 2>/dev/null | tail -n 1)
    grep -q "^listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT," "$conf" 2>/dev/null && return 0
  done
  return 1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if [[ -n ${KAFKA_BROKERS:-} ]]; then
    say "KAFKA_BROKERS=$KAFKA_BROKERS is set: using that cluster, not starting a local broker"
    return 0
  fi
  need java 'the broker needs Java 17+'
  mkdir -p "$KAFKA_HOME" "$LOGS"
  local pid
  if pid=$(running_pid); then
    say "already running (pid $pid) on 127.0.0.1:$KAFKA_PORT; log: $LOG"
    return 0
  fi
  if port_in_use "$KAFKA_PORT" && other_broker_listening; then
    say "a Kafka broker started elsewhere already listens on 127.0.0.1:$KAFKA_PORT: using it"
    return 0
  fi
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_in_use "$port" && die "127.0.0.1:$port is already in use by another process (set KAFKA_PORT)"
  done
  assemble "$SCRIPT_DIR/pom.xml" "$LIBS" kafka.libs.dir
  render_config
  format_storage
  [[ -f $LOG ]] && mv -f "$LOG" "$LOG.1"
  local opts started
  mapfile -t opts < <(java_opts)
  started=$(date +%s%N)
  nohup java "${opts[@]}" -cp "$LIBS/*" kafka.Kafka "$CONF" >"$LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  local deadline=$((SECONDS + KAFKA_READY_TIMEOUT))
  until grep -q 'Kafka Server started' "$LOG" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail -n 30 "$LOG" >&2
      die "the broker exited during start-up; log: $LOG"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$LOG" >&2
      die "the broker (pid $pid) was not ready within $KAFKA_READY_TIMEOUT s (KAFKA_READY_TIMEOUT); it is still running, stop it with '$0 stop'; log: $LOG"
    fi
    sleep 0.2
  done
  local ms=$((($(date +%s%N) - started) / 1000000))
  say "ready on 127.0.0.1:$KAFKA_PORT (pid $pid) in ${ms} ms; log: $LOG"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping pid $pid"
  kill -TERM "$pid"
  local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      die "no clean shutdown within $KAFKA_STOP_TIMEOUT s: killed pid $pid; log: $LOG"
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  say "stopped"
}

status() {
  local pid
  if pid=$(running_pid); then
    say "running (pid $pid) on 127.0.0.1:$KAFKA_PORT; log: $LOG"
  else
    say "not running"
    return 3
  fi
}

reset() {
  running_pid >/dev/null && die "stop the broker before deleting its data"
  rm -rf "$DATA" "$CONF"
  say "deleted ${DATA#"$ROOT"/}; the next start formats a new cluster"
}

tool() {
  [[ $# -ge 1 ]] || die "usage: $0 tool topics|producer-perf|consumer-perf|console-producer|console-consumer|CLASS [ARGS...]"
  need java 'the tools need Java 17+'
  mkdir -p "$KAFKA_HOME"
  local class
  case $1 in
    topics) class=org.apache.kafka.tools.TopicCommand ;;
    producer-perf) class=org.apache.kafka.tools.ProducerPerformance ;;
    consumer-perf) class=org.apache.kafka.tools.ConsumerPerformance ;;
    console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    console-producer) class=org.apache.kafka.tools.ConsoleProducer ;;
    *) class=$1 ;;
  esac
  shift
  assemble "$SCRIPT_DIR/tools/pom.xml" "$TOOLS_LIBS" kafka.tools.dir
  exec java -Xmx256m -Dlog4j2.configurationFile="$SCRIPT_DIR/tools/log4j2.properties" -cp "$TOOLS_LIBS/*" "$class" "$@"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) reset ;;
  tool) shift; tool "$@" ;;
  *) echo "usage: $0 start|stop|status|reset|tool NAME [ARGS...]" >&2; exit 2 ;;
esac

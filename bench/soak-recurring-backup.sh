#!/usr/bin/env bash
# Soak: does a recurring Backup leak? On a fresh local control plane, create OBJECTS objects (half
# ConfigMaps, half Secrets, ~2 KB each), run the operator jar as its own JVM and let a recurring
# Backup (schedule "@every ${INTERVAL}", retentionCount RETENTION, archives in the local directory)
# run for DURATION_S seconds. Every SAMPLE_S seconds the script forces a full GC in the operator
# (jcmd GC.run) and prints one row: elapsed time, backups attempted and failed so far
# (rancher_backups_attempted_total, rancher_backups_failed_total), heap used after that GC, threads
# and open file descriptors of the operator process, its RSS, the archives on disk (retention keeps
# them at RETENTION) and the load average (the machine may be shared). At the end it prints the first and the
# last sample and their difference: flat means no leak. No assertion: the figures are the output.
# Environment: OBJECTS (3000), NAMESPACES (30), INTERVAL (5s), RETENTION (5), DURATION_S (600),
# SAMPLE_S (30), OPERATOR_XMX (256m), OPERATOR_JAR (target/backup-restore-operator.jar, with lib/
# next to it), KEEP_WORK=1 (keep the scratch directory). Needs jcmd (a JDK). Everything is on
# 127.0.0.1; the operator serves its metrics on :8080.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib/bench-cluster.sh

OBJECTS="${OBJECTS:-3000}"
NAMESPACES="${NAMESPACES:-30}"
INTERVAL="${INTERVAL:-5s}"
RETENTION="${RETENTION:-5}"
DURATION_S="${DURATION_S:-600}"
SAMPLE_S="${SAMPLE_S:-30}"

command -v jcmd >/dev/null || { echo "soak: jcmd (from a JDK) is required" >&2; exit 1; }
if curl -s --max-time 1 "http://127.0.0.1:$METRICS_PORT/" >/dev/null 2>&1; then
  echo "soak: port $METRICS_PORT is in use; the operator serves its metrics there" >&2
  exit 1
fi
BIN="$(scripts/control-plane.sh | tail -1)"
[[ -n "${OPERATOR_JAR:-}" || -f target/backup-restore-operator.jar ]] || ./mvnw -B -q -ntp -DskipTests package
WORK="$(mktemp -d -t bro-soak-XXXXXX)"
cleanup() {
  stop_cluster
  if [[ -n "${KEEP_WORK:-}" ]]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

start_cluster
log "creating $OBJECTS objects in $NAMESPACES namespaces"
log "$(create_objects "$OBJECTS" "$NAMESPACES")"

run="$WORK/operator"
start_operator "$run"
kubectl apply -f - >/dev/null <<YAML
apiVersion: resources.cattle.io/v1
kind: ResourceSet
metadata:
  name: soak
resourceSelectors:
  - apiVersion: v1
    kindsRegexp: ^(configmaps|secrets)$
    namespaceRegexp: ^bench-
---
apiVersion: resources.cattle.io/v1
kind: Backup
metadata:
  name: soak
spec:
  resourceSetName: soak
  schedule: "@every $INTERVAL"
  retentionCount: $RETENTION
YAML

# heap_after_gc: a full GC now, then the heap it left (MiB), from the GC log line it wrote.
heap_after_gc() {
  local before attempt deadline
  before="$(grep -c 'Pause Full (Diagnostic Command)' "$run/gc.log" || true)"
  # On a loaded machine the attach can time out: try three times.
  for attempt in 1 2 3; do
    jcmd "$OPERATOR_PID" GC.run >/dev/null 2>&1 || true
    deadline=$((SECONDS + 20))
    while (($(grep -c 'Pause Full (Diagnostic Command)' "$run/gc.log" || true) <= before)); do
      ((SECONDS > deadline)) && break
      sleep 0.2
    done
    (($(grep -c 'Pause Full (Diagnostic Command)' "$run/gc.log" || true) > before)) && break
  done
  (($(grep -c 'Pause Full (Diagnostic Command)' "$run/gc.log" || true) > before)) || { echo "n/a"; return; }
  grep 'Pause Full (Diagnostic Command)' "$run/gc.log" | tail -1 |
    sed -E 's/.*[0-9]+([KMG])->([0-9]+)([KMG])\([0-9]+[KMG]\).*/\2 \3/' |
    awk '{v = $1; if ($2 == "K") v /= 1024; if ($2 == "G") v *= 1024; printf "%.1f", v}'
}

sample() {
  local elapsed="$1" heap threads fds rss runs failed archives
  heap="$(heap_after_gc)"
  threads="$(awk '/^Threads:/ {print $2}' "/proc/$OPERATOR_PID/status")"
  fds="$(find "/proc/$OPERATOR_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
  rss="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$OPERATOR_PID/status")"
  runs="$(metric 'rancher_backups_attempted_total{name="soak"}' | awk '{printf "%.0f", $1}')"
  failed="$(metric 'rancher_backups_failed_total{name="soak"}' | awk '{printf "%.0f", $1}')"
  archives="$(find "$run/backups" -maxdepth 1 -name 'soak-*' 2>/dev/null | wc -l)"
  echo "$elapsed|${runs:-0}|${failed:-0}|$heap|$threads|$fds|$rss|$archives|$(cut -d' ' -f1 /proc/loadavg)"
}

log "soaking for ${DURATION_S}s (recurring Backup every $INTERVAL, sample every ${SAMPLE_S}s)"
ROWS=()
start=$SECONDS
# The first sample waits for the first archive, so that it counts what one backup loads (the JIT,
# the S3/archive classes) and later growth is what repeated backups add.
deadline=$((SECONDS + 120))
until [[ -n "$(kubectl get backup soak -o jsonpath='{.status.filename}')" ]]; do
  ((SECONDS > deadline)) && { log "no first archive after 120 s"; tail -40 "$run/operator.log" >&2; exit 1; }
  sleep 1
done
while true; do
  kill -0 "$OPERATOR_PID" 2>/dev/null || { log "the operator exited"; tail -40 "$run/operator.log" >&2; exit 1; }
  row="$(sample "$((SECONDS - start))")"
  ROWS+=("$row")
  log "sample: $row"
  ((SECONDS - start >= DURATION_S)) && break
  sleep "$SAMPLE_S"
done
status="$(kubectl get backup soak -o jsonpath='{range .status.conditions[*]}{.type}={.status}:{.message} {end}')"
failures="$(grep -c 'ERROR\|WARN' "$run/operator.log" || true)"

echo
echo "Soak: recurring Backup @every $INTERVAL, retentionCount $RETENTION, $OBJECTS objects, -Xmx${OPERATOR_XMX:-256m}; final status: $status; WARN/ERROR log lines: $failures"
echo
echo "| elapsed s | backups attempted | failed | heap after full GC MiB | threads | open fds | RSS MiB | archives on disk | load avg |"
echo "|---|---|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done
first="${ROWS[0]}"
last="${ROWS[${#ROWS[@]} - 1]}"
echo
awk -F'|' -v a="$first" -v b="$last" 'BEGIN {
  split(a, x, "|"); split(b, y, "|")
  printf "first -> last sample: %s -> %s backups (%s failed); heap after GC %s -> %s MiB; threads %s -> %s; open fds %s -> %s; RSS %s -> %s MiB\n",
    x[2], y[2], y[3], x[4], y[4], x[5], y[5], x[6], y[6], x[7], y[7]
}'
stop_operator

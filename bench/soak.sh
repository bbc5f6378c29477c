#!/usr/bin/env bash
# Soak: a recurring Backup every few seconds for a long time against a few thousand objects, on a
# fresh local control plane, with the operator jar as its own JVM. Every SAMPLE_S seconds it forces
# a full GC in the operator (jcmd GC.run) and prints one row: elapsed time, completed backups, failed
# backups, heap used after that GC, live threads, open file descriptors and RSS. Flat columns (apart
# from the counters) mean no leak. Figures are printed, never asserted.
# Usage: bench/soak.sh [OBJECTS]   (default 3000)
# Environment: DURATION_S (600), SAMPLE_S (60), SCHEDULE (@every 5s), RETENTION (3), NAMESPACES (30),
# OBJECT_SIZE (2048), OPERATOR_XMX (256m), KEEP_WORK=1 (keep logs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib/bench-cluster.sh

OBJECTS="${1:-3000}"
NAMESPACES="${NAMESPACES:-30}"
DURATION_S="${DURATION_S:-600}"
SAMPLE_S="${SAMPLE_S:-60}"
SCHEDULE="${SCHEDULE:-@every 5s}"
RETENTION="${RETENTION:-3}"

if curl -s --max-time 1 "http://127.0.0.1:$METRICS_PORT/" >/dev/null 2>&1; then
  echo "soak: port $METRICS_PORT is in use; the operator serves its metrics there" >&2
  exit 1
fi
BIN="$(scripts/control-plane.sh | tail -1)"
[[ -f target/backup-restore-operator.jar ]] || ./mvnw -B -q -ntp -DskipTests package
WORK="$(mktemp -d -t bro-soak-XXXXXX)"
cleanup() {
  stop_cluster
  if [[ -n "${KEEP_WORK:-}" ]]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log "machine: $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

start_cluster
log "creating $OBJECTS objects in $NAMESPACES namespaces"
log "$(create_objects "$OBJECTS" "$NAMESPACES")"
run="$WORK/operator"
start_operator "$run" HEALTH_PROBE_PORT=-1
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
  schedule: "$SCHEDULE"
  retentionCount: $RETENTION
YAML

sample() {
  local elapsed="$1" heap threads fds rss ok failed
  jcmd "$OPERATOR_PID" GC.run >/dev/null
  heap="$(jcmd "$OPERATOR_PID" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); gsub(",", "", v); print v; exit}}')"
  threads="$(awk '/^Threads:/ {print $2}' "/proc/$OPERATOR_PID/status")"
  fds="$(find "/proc/$OPERATOR_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)"
  rss="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$OPERATOR_PID/status")"
  ok="$(metric 'rancher_backup_duration_seconds_count{name="soak"}')"
  failed="$(metric 'rancher_backups_failed_total{name="soak"}')"
  echo "| $elapsed | ${ok:-0} | ${failed:-0} | $heap | $threads | $fds | $rss | $(cut -d' ' -f1 /proc/loadavg) |"
}

ROWS=()
start=$SECONDS
next=0
while ((SECONDS - start <= DURATION_S)); do
  if ((SECONDS - start >= next)); then
    ROWS+=("$(sample "$((SECONDS - start))")")
    log "${ROWS[-1]}"
    next=$((next + SAMPLE_S))
  fi
  kill -0 "$OPERATOR_PID" 2>/dev/null || { log "the operator exited"; tail -30 "$run/operator.log" >&2; exit 1; }
  sleep 1
done
archives="$(find "$run/backups" -name 'soak-*.tar.gz' | wc -l)"
hidden="$(find "$run/backups" -name '.*' -type f | wc -l)"
stop_operator

echo
echo "Soak: $OBJECTS objects, Backup schedule \"$SCHEDULE\", retention $RETENTION, ${DURATION_S} s, -Xmx${OPERATOR_XMX:-256m}"
echo "(heap after a forced full GC, from jcmd GC.heap_info; archives left at the end: $archives, partial files: $hidden)"
echo
echo "| elapsed s | backups completed | backups failed | heap used after GC | threads | open fds | RSS MiB | load avg |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"

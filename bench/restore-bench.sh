#!/usr/bin/env bash
# Restore benchmark. For each N given (default: 10000 100000):
#   1. make the archive: on a fresh control plane, create N objects (half ConfigMaps, half Secrets,
#      ~2 KB each, in 100 namespaces) and back them up, with their Namespaces, through the operator;
#   2. the floor: on a fresh, empty control plane each, plain parallel creates of the same kind of
#      objects (namespaces first) with FLOOR_IN_FLIGHT concurrent requests (default "1 8": one at a
#      time, and as many as the restore's default pool);
#   3. restore into a fresh, empty control plane each:
#      - through the operator (Restore resource, prune off; its default pool of 8 workers), timed from
#        the Restore's creation to Ready=Completed;
#      - through the restore engine in its own JVM (bench/RestoreHarness.java) with each of
#        HARNESS_WORKERS (default "1 8"): the operator has no setting for the worker count;
#   4. print wall time, objects/s, peak RSS (VmHWM) and heap (GC log) of the restoring JVM
#      (-Xmx256m), and restore / floor; every restore is checked by listing the objects back.
# Environment: NAMESPACES (100), OBJECT_SIZE (2048), OPERATOR_XMX (256m, also the harness's heap),
# FLOOR_IN_FLIGHT ("1 8"), HARNESS_WORKERS ("1 8"), RESTORE_TIMEOUT_S (3600), KEEP_WORK=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib/bench-cluster.sh

SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
NAMESPACES="${NAMESPACES:-100}"
RESTORE_TIMEOUT_S="${RESTORE_TIMEOUT_S:-3600}"
read -r -a FLOOR_IN_FLIGHT <<<"${FLOOR_IN_FLIGHT:-1 8}"
read -r -a HARNESS_WORKERS <<<"${HARNESS_WORKERS:-1 8}"
XMX="${OPERATOR_XMX:-256m}"
JAR="${OPERATOR_JAR:-$ROOT/target/backup-restore-operator.jar}"
LIB="$(dirname "$JAR")/lib"

if curl -s --max-time 1 "http://127.0.0.1:$METRICS_PORT/" >/dev/null 2>&1; then
  echo "restore-bench: port $METRICS_PORT is in use; the operator serves its metrics there" >&2
  exit 1
fi
BIN="$(scripts/control-plane.sh | tail -1)"
[[ -n "${OPERATOR_JAR:-}" || -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
WORK="$(mktemp -d -t bro-restore-bench-XXXXXX)"
cleanup() {
  stop_cluster
  if [[ -n "${KEEP_WORK:-}" ]]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
javac -nowarn -cp "$JAR:$LIB/*" -d "$WORK/harness" bench/RestoreHarness.java 2>/dev/null

field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.0f", n / s}'; }

# wait_ready KIND NAME: waits for Ready=Completed, or prints the status and the operator log.
wait_ready() {
  if ! kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].message}'=Completed \
    --timeout="${RESTORE_TIMEOUT_S}s" "$1/$2" >/dev/null; then
    log "$1 $2 did not complete; status and operator log:"
    kubectl get "$1" "$2" -o jsonpath='{.status}' >&2 || true
    tail -40 "$OPERATOR_DIR/operator.log" >&2
    exit 1
  fi
}

# check_restored N: the restored configmaps and secrets in bench-* namespaces number N.
check_restored() {
  local listed
  listed="$(bench_objects list "$SERVER" "$TOKEN" 500 1 configmaps secrets | field listed)"
  # The kube-system extension-apiserver-authentication ConfigMap is listed too.
  if ((listed < $1)); then
    log "only $listed configmaps and secrets after the restore, expected $1"
    exit 1
  fi
}

# make_archive N: sets ARCHIVE to the archive's path.
make_archive() {
  local n="$1"
  start_cluster
  log "N=$n: creating $n objects for the archive: $(create_objects "$n" "$NAMESPACES")"
  OPERATOR_DIR="$WORK/source-$n"
  start_operator "$OPERATOR_DIR"
  kubectl apply -f - >/dev/null <<YAML
apiVersion: resources.cattle.io/v1
kind: ResourceSet
metadata:
  name: bench
resourceSelectors:
  - apiVersion: v1
    kindsRegexp: ^namespaces$
    resourceNameRegexp: ^bench-
  - apiVersion: v1
    kindsRegexp: ^(configmaps|secrets)$
    namespaceRegexp: ^bench-
---
apiVersion: resources.cattle.io/v1
kind: Backup
metadata:
  name: bench
spec:
  resourceSetName: bench
YAML
  wait_ready backup bench
  local file
  file="$(kubectl get backup bench -o jsonpath='{.status.filename}')"
  stop_operator
  stop_cluster
  ARCHIVE="$OPERATOR_DIR/backups/$file"
}

# measure PID GC_LOG: "peak_rss_mib peak_heap_mib max_live_mib" of a JVM that is still running.
measure() {
  local hwm peak live count
  hwm="$(vm_hwm_kib "$1")"
  read -r peak live count <<<"$(gc_peaks "$2")"
  echo "$((hwm / 1024)) $peak $live"
}

ROWS=()
for N in "${SIZES[@]}"; do
  make_archive "$N"
  archive="$ARCHIVE"
  log "N=$N: archive $(stat -c %s "$archive") bytes"

  declare -A floor=()
  for p in "${FLOOR_IN_FLIGHT[@]}"; do
    start_cluster
    load="$(cut -d' ' -f1 /proc/loadavg)"
    log "N=$N: floor, plain creates with $p in flight (load average $load)"
    line="$(CREATE_IN_FLIGHT="$p" create_objects "$N" "$NAMESPACES")"
    floor[$p]="$(field seconds <<<"$line")"
    log "N=$N: $line"
    ROWS+=("$N|plain creates (floor)|$p|$load|${floor[$p]}|$(rate "$N" "${floor[$p]}")| | | | ")
    stop_cluster
  done
  floor_for() { echo "${floor[$1]:-}"; }

  # The operator, default pool.
  start_cluster
  OPERATOR_DIR="$WORK/restore-operator-$N"
  mkdir -p "$OPERATOR_DIR/backups"
  cp "$archive" "$OPERATOR_DIR/backups/"
  start_operator "$OPERATOR_DIR"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  log "N=$N: restore through the operator (load average $load)"
  t0="$(now)"
  kubectl create -f - >/dev/null <<YAML
apiVersion: resources.cattle.io/v1
kind: Restore
metadata:
  name: bench
spec:
  backupFilename: $(basename "$archive")
  prune: false
YAML
  wait_ready restore bench
  wall="$(elapsed "$t0" "$(now)")"
  read -r rss heap live <<<"$(measure "$OPERATOR_PID" "$OPERATOR_DIR/gc.log")"
  log "N=$N: operator restore ${wall}s: $(kubectl get restore bench -o jsonpath='{.status.summary}')"
  stop_operator
  check_restored "$N"
  f="$(floor_for 8)"
  ROWS+=("$N|operator (Restore resource)|8 (default)|$load|$wall|$(rate "$N" "$wall")|$rss|$heap|$live|$([[ -n "$f" ]] && ratio "$wall" "$f")")
  stop_cluster

  # The engine alone, per worker count.
  for w in "${HARNESS_WORKERS[@]}"; do
    start_cluster
    dir="$WORK/harness-$N-$w"
    mkdir -p "$dir"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    log "N=$N: restore engine with $w worker(s) (load average $load)"
    java "-Xmx$XMX" "-Xlog:gc:file=$dir/gc.log" -cp "$WORK/harness:$JAR:$LIB/*" RestoreHarness \
      "$WORK/kubeconfig" "$archive" "$w" >"$dir/out.txt" 2>"$dir/err.txt" &
    pid=$!
    BENCH_PIDS+=($pid)
    hwm=0
    deadline=$((SECONDS + RESTORE_TIMEOUT_S))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      now_hwm="$(vm_hwm_kib "$pid" 2>/dev/null || true)"
      [[ -n "$now_hwm" ]] && hwm="$now_hwm" # empty once the process is a zombie
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "N=$N: the restore engine did not finish within ${RESTORE_TIMEOUT_S}s"; exit 1
    fi
    status=0
    wait "$pid" || status=$?
    forget_pid "$pid"
    if ((status != 0)); then
      log "N=$N: the restore engine failed:"; tail -20 "$dir/err.txt" >&2; exit 1
    fi
    line="$(cat "$dir/out.txt")"
    read -r peak live count <<<"$(gc_peaks "$dir/gc.log")"
    log "N=$N: $line"
    check_restored "$N"
    seconds="$(field seconds <<<"$line")"
    f="$(floor_for "$w")"
    ROWS+=("$N|restore engine (RestoreHarness)|$w|$load|$seconds|$(rate "$N" "$seconds")|$((hwm / 1024))|$peak|$live|$([[ -n "$f" ]] && ratio "$seconds" "$f")")
    stop_cluster
  done
  unset floor
done

echo
echo "Restores into an empty control plane (objects/s counts the N ConfigMaps and Secrets; the archive also holds $NAMESPACES Namespaces)"
echo
echo "| N | what | workers / in flight | load avg | wall s | objects/s | peak RSS MiB | peak heap MiB (GC log) | max live heap MiB | restore / floor with as many in flight |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done

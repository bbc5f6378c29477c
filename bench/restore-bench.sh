#!/usr/bin/env bash
# Restore benchmark. For each N given (default: 10000 100000):
#   1. make the archive: on a fresh control plane, create N objects (half ConfigMaps, half Secrets,
#      ~2 KB each, in 100 namespaces) and back them up, with their Namespaces, through the operator;
#   2. for each round-trip time of LATENCIES (default "0 2", in ms; above 0 the clients reach the
#      apiserver through bench/LatencyProxy.java, as if it were a network hop away):
#      - the floor: on a fresh, empty control plane each, plain creates of the same kind of objects
#        (namespaces first) with FLOOR_IN_FLIGHT concurrent requests (default "1 8": one at a time,
#        as Rancher's operator sends them, and as many as the restore's default pool);
#      - the operator of each build (this one; also BASELINE_JAR when set): a Restore resource
#        (prune off) into a fresh, empty control plane with RESTORE_WORKERS (default 8), timed
#        from the Restore's creation to Ready=Completed, with the operator's and the apiserver's
#        CPU seconds (/proc) and the apiserver's requests on configmaps and secrets per object
#        (its apiserver_request_total metric);
#   3. print the tables; every restore is checked by listing the objects back.
# PIN=1 puts etcd and the apiserver on core 0 and the operator and the clients on core 1.
# Environment: NAMESPACES (100), OBJECT_SIZE (2048), OPERATOR_XMX (256m), LATENCIES ("0 2"),
# OPERATOR_JAVA_OPTS (default: the image's, "-XX:+UseSerialGC"), BASELINE_JAVA_OPTS (default: the same;
# several sets separated by ";" give one baseline row each),
# FLOOR_IN_FLIGHT ("1 8"; set it empty, FLOOR_IN_FLIGHT=, to skip the floors), RESTORE_WORKERS (8), BASELINE_JAR (unset), BENCH_JFR=1 (JFR recording
# of this build's operator, kept with KEEP_WORK=1), RESTORE_TIMEOUT_S (3600), KEEP_WORK=1,
# ARCHIVE (an archive this bench made before, e.g. kept with KEEP_WORK=1: reused instead of making
# one; give a single N, the archive's).
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib/bench-cluster.sh

SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
NAMESPACES="${NAMESPACES:-100}"
RESTORE_TIMEOUT_S="${RESTORE_TIMEOUT_S:-3600}"
read -r -a FLOOR_IN_FLIGHT <<<"${FLOOR_IN_FLIGHT-1 8}"
read -r -a LATENCIES <<<"${LATENCIES:-0 2}"
WORKERS="${RESTORE_WORKERS:-8}"
# The JVM options of the image's entrypoint that change CPU (Dockerfile).
export OPERATOR_JAVA_OPTS="${OPERATOR_JAVA_OPTS--XX:+UseSerialGC}"
XMX="${OPERATOR_XMX:-256m}"
JAR="${OPERATOR_JAR:-$ROOT/target/backup-restore-operator.jar}"
LIB="$(dirname "$JAR")/lib"

# The restore needs no operator metrics: :8080 may be taken by another operator on this machine.
export BENCH_METRICS=0
BIN="$(scripts/control-plane.sh | tail -1)"
[[ -n "${OPERATOR_JAR:-}" || -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
WORK="$(mktemp -d -t bro-restore-bench-XXXXXX)"
cleanup() {
  stop_cluster
  if [[ -n "${KEEP_WORK:-}" ]]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# set -e stops the bench at the first failing command: say which, never exit silently.
trap 'log "failed (exit status $?) at line $LINENO: $BASH_COMMAND"' ERR
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p"; }
# ratio_if A B: A / B, or nothing when either is empty (a floor that was not measured).
ratio_if() { if [[ -n "$1" && -n "$2" ]]; then ratio "$1" "$2"; fi; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.0f", n / s}'; }

# requests_per_object BEFORE AFTER N: "1.00 (POST 1.00)": configmap and secret requests per object.
requests_per_object() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
def parse(text):
    return {k: int(v) for k, v in (p.split("=") for p in text.split())}
before, after, n = parse(sys.argv[1]), parse(sys.argv[2]), int(sys.argv[3])
delta = {v: after.get(v, 0) - before.get(v, 0) for v in after}
delta = {v: d for v, d in delta.items() if d > 0}
total = sum(delta.values())
parts = " ".join(f"{v} {d / n:.2f}" for v, d in sorted(delta.items()))
print(f"{total / n:.2f} ({parts})")
PY
}

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
if [[ -n "${ARCHIVE:-}" ]]; then
  ((${#SIZES[@]} == 1)) || { log "ARCHIVE= needs a single N, the archive's"; exit 2; }
  [[ -f "$ARCHIVE" ]] || { log "ARCHIVE=$ARCHIVE: no such file"; exit 2; }
  REUSED_ARCHIVE="$ARCHIVE"
fi
for N in "${SIZES[@]}"; do
  if [[ -n "${REUSED_ARCHIVE:-}" ]]; then
    ARCHIVE="$REUSED_ARCHIVE"
  else
    make_archive "$N"
  fi
  archive="$ARCHIVE"
  log "N=$N: archive $(stat -c %s "$archive") bytes"

  for rtt in "${LATENCIES[@]}"; do
    declare -A floor=()
    for p in "${FLOOR_IN_FLIGHT[@]}"; do
      start_cluster
      start_latency_proxy "$rtt"
      load="$(cut -d' ' -f1 /proc/loadavg)"
      log "N=$N RTT=${rtt}ms: floor, plain creates with $p in flight (load average $load)"
      api_cpu0="$(cpu_seconds "$APISERVER_PID")"
      line="$(CREATE_IN_FLIGHT="$p" create_objects "$N" "$NAMESPACES")"
      api_cpu="$(awk -v a="$api_cpu0" -v b="$(cpu_seconds "$APISERVER_PID")" 'BEGIN {printf "%.1f", b - a}')"
      floor[$p]="$(field seconds <<<"$line")"
      log "N=$N RTT=${rtt}ms: $line"
      ROWS+=("$N|$rtt|plain creates (floor)|$p|$load|${floor[$p]}|$(rate "$N" "${floor[$p]}")| |$api_cpu|1| | | | | ")
      log "row: | ${ROWS[-1]//|/ | } |"  # kept in the log should a later step fail
      stop_cluster
    done

    # name|jar|JVM options; one baseline row per ;-separated set of BASELINE_JAVA_OPTS.
    builds=("this branch|$JAR|$OPERATOR_JAVA_OPTS")
    if [[ -n "${BASELINE_JAR:-}" ]]; then
      IFS=';' read -r -a baseline_opts <<<"${BASELINE_JAVA_OPTS-$OPERATOR_JAVA_OPTS}"
      ((${#baseline_opts[@]})) || baseline_opts=("")
      for opts in "${baseline_opts[@]}"; do builds+=("baseline|$BASELINE_JAR|$opts"); done
    fi
    for build in "${builds[@]}"; do
      IFS='|' read -r name build_jar java_opts <<<"$build"
      [[ -n "$java_opts" ]] && name="$name ($java_opts)"
      start_cluster
      start_latency_proxy "$rtt"
      OPERATOR_DIR="$WORK/restore-$N-$rtt-$(tr -c 'A-Za-z0-9=\n-' - <<<"$name")"
      mkdir -p "$OPERATOR_DIR/backups"
      cp "$archive" "$OPERATOR_DIR/backups/"
      jfr_for_build=""
      [[ "$name" == "this branch"* ]] && jfr_for_build="${BENCH_JFR:-}"
      BENCH_JFR="$jfr_for_build" START_JAR="$build_jar" OPERATOR_JAVA_OPTS="$java_opts" \
        start_operator "$OPERATOR_DIR" RESTORE_WORKERS="$WORKERS"
      load="$(cut -d' ' -f1 /proc/loadavg)"
      requests0="$(request_counts)"
      cpu0="$(cpu_seconds "$OPERATOR_PID")"
      api_cpu0="$(cpu_seconds "$APISERVER_PID")"
      log "N=$N RTT=${rtt}ms: restore through the operator ($name, $WORKERS workers, load average $load)"
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
      cpu="$(awk -v a="$cpu0" -v b="$(cpu_seconds "$OPERATOR_PID")" 'BEGIN {printf "%.1f", b - a}')"
      api_cpu="$(awk -v a="$api_cpu0" -v b="$(cpu_seconds "$APISERVER_PID")" 'BEGIN {printf "%.1f", b - a}')"
      per_object="$(requests_per_object "$requests0" "$(request_counts)" "$N")"
      read -r rss heap live <<<"$(measure "$OPERATOR_PID" "$OPERATOR_DIR/gc.log")"
      log "N=$N RTT=${rtt}ms: $name restore ${wall}s, operator CPU ${cpu}s, apiserver CPU ${api_cpu}s, requests/object $per_object: $(kubectl get restore bench -o jsonpath='{.status.summary}')"
      stop_operator
      check_restored "$N"
      f1="${floor[1]:-}"
      f8="${floor[8]:-}"
      ms_per_object="$(awk -v c="$cpu" -v n="$N" 'BEGIN {printf "%.2f", c * 1000 / n}')"
      ROWS+=("$N|$rtt|operator, $name|$WORKERS|$load|$wall|$(rate "$N" "$wall")|$cpu ($ms_per_object ms/object)|$api_cpu|$per_object|$rss|$heap|$live|$(ratio_if "$f1" "$wall")|$(ratio_if "$wall" "$f8")")
      log "row: | ${ROWS[-1]//|/ | } |"  # kept in the log should a later step fail
      stop_cluster
    done
    unset floor
  done
done

echo
echo "Restores into an empty control plane (objects/s counts the N ConfigMaps and Secrets; the archive also holds $NAMESPACES Namespaces)${PIN:+; apiserver and etcd on core 0, operator and clients on core 1}"
echo
echo "| N | RTT ms | what | workers / in flight | load avg | wall s | objects/s | operator CPU s | apiserver CPU s | requests per object | peak RSS MiB | peak heap MiB (GC log) | max live heap MiB | speed-up over 1-in-flight floor | wall / 8-in-flight floor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done

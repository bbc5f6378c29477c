#!/usr/bin/env bash
# Backup benchmark. For each N given (default: 10000 100000), on a fresh local control plane:
#   1. create N objects (half ConfigMaps, half Secrets, ~2 KB each) over 100 namespaces, in parallel;
#   2. time the floor: a plain paginated LIST (limit 200) of the same objects, once with kubectl and
#      LIST_ROUNDS times with a Java client in one JVM (round 1 cold, the best later round warm);
#   3. run the operator jar as its own JVM (-Xmx256m) and, REPEATS times, create a one-time Backup of
#      a ResourceSet selecting those namespaces' configmaps and secrets, and wait for Ready=Completed
#      (run 1 is the operator's first backup, with a cold JIT; later runs are warm);
#   4. print wall time (Backup created -> Completed), the operator's own duration (its
#      rancher_backup_duration_seconds metric), objects/s, archive bytes, the operator's peak RSS
#      (VmHWM) and heap (GC log and 0.5 s samples of jvm_memory_used_bytes), and backup / floor.
# Environment: NAMESPACES (100), OBJECT_SIZE (2048), CREATE_IN_FLIGHT (64), REPEATS (1),
# LIST_ROUNDS (3), OPERATOR_XMX (256m), OPERATOR_JAR (target/backup-restore-operator.jar, with lib/
# next to it), BACKUP_TIMEOUT_S (1200), BENCH_JFR=1 (JFR recording of the operator),
# KEEP_WORK=1 (keep the scratch directory with logs, GC logs, archives). Everything is on 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib/bench-cluster.sh

SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
NAMESPACES="${NAMESPACES:-100}"
REPEATS="${REPEATS:-1}"
LIST_ROUNDS="${LIST_ROUNDS:-3}"
BACKUP_TIMEOUT_S="${BACKUP_TIMEOUT_S:-1200}"

if curl -s --max-time 1 "http://127.0.0.1:$METRICS_PORT/" >/dev/null 2>&1; then
  echo "backup-bench: port $METRICS_PORT is in use; the operator serves its metrics there" >&2
  exit 1
fi
BIN="$(scripts/control-plane.sh | tail -1)"
[[ -n "${OPERATOR_JAR:-}" || -f target/backup-restore-operator.jar ]] || ./mvnw -B -q -ntp -DskipTests package
WORK="$(mktemp -d -t bro-bench-XXXXXX)"
cleanup() {
  stop_cluster
  if [[ -n "${KEEP_WORK:-}" ]]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

resource_set() {
  cat <<YAML
apiVersion: resources.cattle.io/v1
kind: ResourceSet
metadata:
  name: bench
resourceSelectors:
  - apiVersion: v1
    kindsRegexp: ^(configmaps|secrets)$
    namespaceRegexp: ^bench-
YAML
}

backup() {
  cat <<YAML
apiVersion: resources.cattle.io/v1
kind: Backup
metadata:
  name: $1
spec:
  resourceSetName: bench
YAML
}

field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p"; }
cpu_delta() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }

RUN_ROWS=()
SIZE_ROWS=()
for N in "${SIZES[@]}"; do
  log "N=$N: starting a fresh control plane"
  start_cluster
  log "N=$N: creating $N objects in $NAMESPACES namespaces (load average $(cut -d' ' -f1 /proc/loadavg))"
  created="$(create_objects "$N" "$NAMESPACES")"
  log "N=$N: $created"

  log "N=$N: floor with kubectl (get configmaps,secrets -A --chunk-size=200 -o json)"
  t0="$(now)"
  kubectl get configmaps,secrets -A --chunk-size=200 -o json >/dev/null
  floor_kubectl="$(elapsed "$t0" "$(now)")"
  log "N=$N: floor with the Java client, $LIST_ROUNDS rounds (paginated LIST, limit 200, parsed)"
  bench_objects list "$SERVER" "$TOKEN" 200 "$LIST_ROUNDS" configmaps secrets >"$WORK/floor-$N.txt"
  floor_cold="$(head -1 "$WORK/floor-$N.txt" | field seconds)"
  floor_warm="$(tail -n +2 "$WORK/floor-$N.txt" | field seconds | sort -g | head -1)"
  floor_warm="${floor_warm:-$floor_cold}"
  log "N=$N: floor kubectl ${floor_kubectl}s; Java cold ${floor_cold}s, warm ${floor_warm}s"

  run="$WORK/operator-$N"
  start_operator "$run"
  : >"$run/memory.txt"
  sample_memory "$OPERATOR_PID" "$run/memory.txt" &
  sampler=$!
  resource_set | kubectl apply -f - >/dev/null

  for ((r = 1; r <= REPEATS; r++)); do
    name="bench-$r"
    cpu_before="$(cpu_seconds "$OPERATOR_PID")"
    api_cpu_before="$(cpu_seconds "$APISERVER_PID")"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    log "N=$N run $r: creating Backup $name (load average $load)"
    t0="$(now)"
    backup "$name" | kubectl create -f - >/dev/null
    if ! kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].message}'=Completed \
      --timeout="${BACKUP_TIMEOUT_S}s" "backup/$name" >/dev/null; then
      log "N=$N: backup $name did not complete; status and operator log:"
      kubectl get backup "$name" -o jsonpath='{.status}' >&2 || true
      tail -40 "$run/operator.log" >&2
      exit 1
    fi
    wall="$(elapsed "$t0" "$(now)")"
    cpu="$(cpu_delta "$cpu_before" "$(cpu_seconds "$OPERATOR_PID")")"
    api_cpu="$(cpu_delta "$api_cpu_before" "$(cpu_seconds "$APISERVER_PID")")"
    own="$(metric "rancher_backup_duration_seconds_sum{name=\"$name\"}")"
    file="$(kubectl get backup "$name" -o jsonpath='{.status.filename}')"
    bytes="$(stat -c %s "$run/backups/$file")"
    entries="$(tar -tzf "$run/backups/$file" | grep -c '\.json$')"
    floor="$floor_warm"; ((r == 1)) && floor="$floor_cold"
    rate="$(awk -v n="$N" -v s="$wall" 'BEGIN {printf "%.0f", n / s}')"
    RUN_ROWS+=("$N|$r|$load|$wall|$own|$rate|$bytes|$cpu|$api_cpu|$floor_kubectl|$floor|$(ratio "$wall" "$floor_kubectl")|$(ratio "$wall" "$floor")")
    log "N=$N run $r: backup ${wall}s (operator ${own}s), $entries archive entries, $bytes bytes; CPU operator ${cpu}s, apiserver ${api_cpu}s"
  done

  sleep 1 # one more memory sample after the last backup
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  hwm="$(vm_hwm_kib "$OPERATOR_PID")"
  sampled_heap="$(max_column "$run/memory.txt" 2)"
  read -r gc_peak gc_live gc_count <<<"$(gc_peaks "$run/gc.log")"
  stop_operator
  SIZE_ROWS+=("$N|$(field seconds <<<"$created")|$(field objects_per_s <<<"$created")|$((hwm / 1024))|$gc_peak|$gc_live|$((sampled_heap / 1024 / 1024))|$gc_count")
  stop_cluster
done

table() {
  local row
  for row in "$@"; do echo "| ${row//|/ | } |"; done
}
echo
echo "Backups (run 1 = the operator's first backup, cold JIT, against the cold Java floor; later runs against the warm floor)"
echo
echo "| N | run | load avg | backup wall s | operator duration s | objects/s | archive bytes | operator CPU s | apiserver CPU s | floor kubectl s | floor Java s | backup / floor kubectl | backup / floor Java |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
table "${RUN_ROWS[@]}"
echo
echo "Operator memory over all runs (-Xmx${OPERATOR_XMX:-256m}) and object creation"
echo
echo "| N | create s | creates/s | peak RSS MiB (VmHWM) | peak heap MiB (GC log, before GC) | max live heap MiB (after GC) | peak heap MiB (0.5 s samples) | GCs |"
echo "|---|---|---|---|---|---|---|---|"
table "${SIZE_ROWS[@]}"

#!/usr/bin/env bash
# Backup benchmark. For each N given (default: 10000 100000), on a fresh local control plane:
#   1. create N objects (half ConfigMaps, half Secrets, ~2 KB each) over 100 namespaces, in parallel;
#   2. for each build (BASELINE_JAR first when set, then OPERATOR_JAR), AB_ROUNDS turns in
#      alternation (baseline, this, baseline, this, ...):
#      a. the floor: LIST_ROUNDS paginated LISTs (limit 200) of the same objects by a Java client in
#         one fresh JVM that parses each page and drops it (round 1 cold, the best later round warm);
#      b. that build's operator jar as its own JVM (-Xmx256m), REPEATS one-time Backups of a
#         ResourceSet selecting those objects, each waited for until Ready=Completed (run 1 is the
#         operator's first backup after it started, cold JIT; later runs are warm);
#   3. print, per backup, load average, wall time (Backup created -> Completed), the operator's own
#      duration (its rancher_backup_duration_seconds metric), archive bytes, operator and apiserver
#      CPU seconds (/proc/PID/stat) and backup / floor (cold run against the cold floor measured
#      just before, warm runs against the warm one); the floor's rounds with their CPU seconds;
#      the operator's peak RSS (VmHWM) and heap (GC log and 0.5 s samples of jvm_memory_used_bytes).
# Environment: NAMESPACES (100), OBJECT_SIZE (2048), CREATE_IN_FLIGHT (64), REPEATS (1),
# LIST_ROUNDS (3), AB_ROUNDS (1), OPERATOR_XMX (256m), OPERATOR_JAR (target/backup-restore-operator.jar,
# with lib/ next to it), BASELINE_JAR (unset; an older build's jar with its lib/), BUILD_NAME
# (this) and BASELINE_NAME (baseline): the builds' labels, OPERATOR_JAVA_OPTS and BASELINE_JAVA_OPTS
# (JVM options of each build's operator; default the image's -XX:+UseSerialGC, empty for the JVM's own
# choice; e.g. "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"; both builds may
# then be the same jar),
# KUBECTL_FLOOR (1; 0 skips the kubectl LIST, which takes about 100 s per 100,000 objects),
# BACKUP_TIMEOUT_S (1200), BENCH_JFR=1 (JFR recording of each operator, operator.jfr in its
# directory), KEEP_WORK=1 (keep the scratch directory with logs, GC logs, archives).
# Everything is on 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib/bench-cluster.sh

SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
NAMESPACES="${NAMESPACES:-100}"
REPEATS="${REPEATS:-1}"
LIST_ROUNDS="${LIST_ROUNDS:-3}"
AB_ROUNDS="${AB_ROUNDS:-1}"
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

cold_tag() { if (($1 == 1)); then echo ' (cold)'; fi; }

# java_floor LABEL: LIST_ROUNDS paginated LISTs in one fresh JVM (round 1 cold, later rounds
# warm); appends to FLOOR_ROWS and sets FLOOR_COLD / FLOOR_WARM (the best warm round).
java_floor() {
  local label="$1" out="$WORK/floor-$1.txt" load api0 line r=0 seconds cpu api
  load="$(cut -d' ' -f1 /proc/loadavg)"
  api0="$(cpu_seconds "$APISERVER_PID")"
  bench_objects list "$SERVER" "$TOKEN" 200 "$LIST_ROUNDS" configmaps secrets >"$out"
  api="$(cpu_delta "$api0" "$(cpu_seconds "$APISERVER_PID")")"
  FLOOR_COLD="$(head -1 "$out" | field seconds)"
  FLOOR_WARM="$(tail -n +2 "$out" | field seconds | sort -g | head -1)"
  FLOOR_WARM="${FLOOR_WARM:-$FLOOR_COLD}"
  while read -r line; do
    r=$((r + 1))
    seconds="$(field seconds <<<"$line")"
    cpu="$(field cpu_delta_s <<<"$line")"
    FLOOR_ROWS+=("$N|$label|$r$(cold_tag "$r")|$load|$seconds|$cpu|$(if ((r == 1)); then echo "$api for all rounds"; fi)")
  done <"$out"
  log "N=$N $label: Java floor cold ${FLOOR_COLD}s, warm ${FLOOR_WARM}s (apiserver CPU ${api}s over $LIST_ROUNDS rounds)"
}

# operator_backups BUILD JAR TURN: starts that operator jar, runs REPEATS Backups (run 1 cold),
# compares each with the Java floor measured just before; appends to RUN_ROWS and SIZE_ROWS.
operator_backups() {
  local build="$1" jar="$2" turn="$3" run r name cpu_before api_cpu_before load t0 wall cpu api_cpu own
  local file bytes entries floor rate sampler hwm sampled_heap gc_peak gc_live gc_count
  run="$WORK/operator-$N-$turn-$build"
  local jvm_options=()
  [[ -n "${JAVA_OPTS_OF[$build]}" ]] && jvm_options=("JAVA_TOOL_OPTIONS=${JAVA_OPTS_OF[$build]}")
  START_JAR="$jar" start_operator "$run" "${jvm_options[@]}"
  : >"$run/memory.txt"
  sample_memory "$OPERATOR_PID" "$run/memory.txt" &
  sampler=$!
  for ((r = 1; r <= REPEATS; r++)); do
    name="bench-$turn-$build-$r"
    cpu_before="$(cpu_seconds "$OPERATOR_PID")"
    api_cpu_before="$(cpu_seconds "$APISERVER_PID")"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    log "N=$N $build turn $turn run $r: creating Backup $name (load average $load)"
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
    floor="$FLOOR_WARM"; ((r == 1)) && floor="$FLOOR_COLD"
    rate="$(awk -v n="$N" -v s="$wall" 'BEGIN {printf "%.0f", n / s}')"
    RUN_ROWS+=("$N|$build|$turn|$r$(cold_tag "$r")|$load|$wall|$own|$rate|$bytes|$cpu|$api_cpu|$floor|$(ratio "$wall" "$floor")")
    log "N=$N $build turn $turn run $r: backup ${wall}s (operator ${own}s), $entries archive entries, $bytes bytes; CPU operator ${cpu}s, apiserver ${api_cpu}s; floor ${floor}s"
    kubectl delete backup "$name" --wait=false >/dev/null
    [[ -n "${KEEP_WORK:-}" ]] || rm -f "$run/backups/$file"
  done
  sleep 1 # one more memory sample after the last backup
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  hwm="$(vm_hwm_kib "$OPERATOR_PID")"
  sampled_heap="$(max_column "$run/memory.txt" 2)"
  read -r gc_peak gc_live gc_count <<<"$(gc_peaks "$run/gc.log")"
  stop_operator
  SIZE_ROWS+=("$N|$build|$turn|$((hwm / 1024))|$gc_peak|$gc_live|$((sampled_heap / 1024 / 1024))|$gc_count")
}

BUILDS=("${BUILD_NAME:-this}=${OPERATOR_JAR:-$ROOT/target/backup-restore-operator.jar}")
[[ -n "${BASELINE_JAR:-}" ]] && BUILDS=("${BASELINE_NAME:-baseline}=$BASELINE_JAR" "${BUILDS[@]}")
# By default the JVM options of the image's entrypoint that change CPU (Dockerfile), as restore-bench.
IMAGE_JAVA_OPTS="-XX:+UseSerialGC"
declare -A JAVA_OPTS_OF=(["${BUILD_NAME:-this}"]="${OPERATOR_JAVA_OPTS-$IMAGE_JAVA_OPTS}")
[[ -n "${BASELINE_JAR:-}" ]] && JAVA_OPTS_OF["${BASELINE_NAME:-baseline}"]="${BASELINE_JAVA_OPTS-$IMAGE_JAVA_OPTS}"
RUN_ROWS=()
SIZE_ROWS=()
FLOOR_ROWS=()
CREATE_ROWS=()
for N in "${SIZES[@]}"; do
  log "N=$N: starting a fresh control plane"
  start_cluster
  log "N=$N: creating $N objects in $NAMESPACES namespaces (load average $(cut -d' ' -f1 /proc/loadavg))"
  created="$(create_objects "$N" "$NAMESPACES")"
  log "N=$N: $created"
  CREATE_ROWS+=("$N|$(field seconds <<<"$created")|$(field objects_per_s <<<"$created")")
  if [[ "${KUBECTL_FLOOR:-1}" == "1" ]]; then
    log "N=$N: floor with kubectl (get configmaps,secrets -A --chunk-size=200 -o json)"
    t0="$(now)"
    kubectl get configmaps,secrets -A --chunk-size=200 -o json >/dev/null
    log "N=$N: floor kubectl $(elapsed "$t0" "$(now)")s"
  fi
  resource_set | kubectl apply -f - >/dev/null
  # Builds take turns (baseline, this, baseline, this...), each right after its own floor, so a
  # change in the machine's load hits both alike.
  for ((turn = 1; turn <= AB_ROUNDS; turn++)); do
    for build in "${BUILDS[@]}"; do
      java_floor "${build%%=*}-$turn"
      operator_backups "${build%%=*}" "${build#*=}" "$turn"
    done
  done
  stop_cluster
done

table() {
  local row
  for row in "$@"; do echo "| ${row//|/ | } |"; done
}
echo
echo "Backups (run 1 = the operator's first backup after it started, against the cold Java floor"
echo "measured just before it; later runs against the best warm round of that floor)"
echo
echo "| N | build | turn | run | load avg | backup wall s | operator duration s | objects/s | archive bytes | operator CPU s | apiserver CPU s | floor Java s | backup / floor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
table "${RUN_ROWS[@]}"
echo
echo "Java floor (paginated LIST, limit 200, each page parsed; round 1 in a fresh JVM, its CPU includes JVM start-up)"
echo
echo "| N | before | round | load avg | wall s | client CPU s | apiserver CPU s |"
echo "|---|---|---|---|---|---|---|"
table "${FLOOR_ROWS[@]}"
echo
echo "Operator memory per operator process (-Xmx${OPERATOR_XMX:-256m})"
echo
echo "| N | build | turn | peak RSS MiB (VmHWM) | peak heap MiB (GC log, before GC) | max live heap MiB (after GC) | peak heap MiB (0.5 s samples) | GCs |"
echo "|---|---|---|---|---|---|---|---|"
table "${SIZE_ROWS[@]}"
echo
echo "| N | create s | creates/s |"
echo "|---|---|---|"
table "${CREATE_ROWS[@]}"

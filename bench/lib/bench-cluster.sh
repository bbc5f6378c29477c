# Shared by the benchmark scripts (sourced, not run). Starts a throw-away etcd + kube-apiserver on
# 127.0.0.1 sized for hundreds of thousands of objects, runs the operator jar as its own JVM, and
# samples its memory. Requires ROOT (the repository), BIN (scripts/control-plane.sh's directory)
# and WORK (a scratch directory). Every wait below has a deadline.

BENCH_PIDS=()
ETCD_QUOTA_BYTES=$((8 * 1024 * 1024 * 1024))
METRICS_PORT=8080 # fixed in OperatorRuntime

# PIN=1: etcd and kube-apiserver on core 0, the operator and the benchmark's clients on core 1.
server_cpus() { if [[ -n "${PIN:-}" ]]; then echo taskset -c 0; fi; }
client_cpus() { if [[ -n "${PIN:-}" ]]; then echo taskset -c 1; fi; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_url() {
  local what="$1" url="$2" deadline=$((SECONDS + 90))
  until curl -ksf -H "Authorization: Bearer ${TOKEN:-}" "$url" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "$what did not become ready; its log:"
      tail -30 "$WORK/$what.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

kubectl() { "$BIN/kubectl" --kubeconfig "$WORK/kubeconfig" "$@"; }

# start_cluster: fresh etcd (8 GiB quota, no fsync) and kube-apiserver; sets SERVER, TOKEN, APISERVER_PID.
start_cluster() {
  local etcd_port peer_port api_port
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  rm -rf "$WORK/etcd"
  $(server_cpus) "$BIN/etcd" --name=default --data-dir="$WORK/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
    --initial-cluster="default=http://127.0.0.1:$peer_port" --unsafe-no-fsync=true \
    --quota-backend-bytes="$ETCD_QUOTA_BYTES" --log-level=warn >"$WORK/etcd.log" 2>&1 &
  BENCH_PIDS+=($!)
  wait_url etcd "http://127.0.0.1:$etcd_port/health"

  TOKEN="$(python3 -c 'import uuid; print(uuid.uuid4())')"
  echo "$TOKEN,admin,admin-uid,system:masters" >"$WORK/tokens.csv"
  [[ -f "$WORK/sa.key" ]] || openssl genrsa -out "$WORK/sa.key" 2048 2>/dev/null
  openssl rsa -in "$WORK/sa.key" -pubout -out "$WORK/sa.pub" 2>/dev/null
  $(server_cpus) "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 --secure-port="$api_port" --cert-dir="$WORK/certs" \
    --token-auth-file="$WORK/tokens.csv" --authorization-mode=RBAC \
    --service-cluster-ip-range=10.0.0.0/24 --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$WORK/sa.pub" --service-account-signing-key-file="$WORK/sa.key" \
    --disable-admission-plugins=ServiceAccount >"$WORK/kube-apiserver.log" 2>&1 &
  APISERVER_PID=$!
  BENCH_PIDS+=($APISERVER_PID)
  SERVER="https://127.0.0.1:$api_port"
  wait_url kube-apiserver "$SERVER/readyz"

  cat >"$WORK/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster: {server: "$SERVER", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$TOKEN"}
contexts:
- name: bench
  context: {cluster: bench, user: admin}
current-context: bench
YAML
  kubectl apply -f "$ROOT/crds/" >/dev/null
  kubectl wait --for=condition=Established --timeout=60s crd/backups.resources.cattle.io \
    crd/restores.resources.cattle.io crd/resourcesets.resources.cattle.io >/dev/null
  kubectl create namespace cattle-resources-system >/dev/null
  CLIENT_SERVER="$SERVER"
  CLIENT_KUBECONFIG="$WORK/kubeconfig"
  API_PORT="$api_port"
}

# start_latency_proxy RTT_MS: the benchmark's clients and the operator (not kubectl) reach the
# apiserver through bench/LatencyProxy.java, which adds RTT_MS of round-trip time; sets
# CLIENT_SERVER and CLIENT_KUBECONFIG. Nothing for 0.
start_latency_proxy() {
  local rtt="$1" port
  CLIENT_SERVER="$SERVER"
  CLIENT_KUBECONFIG="$WORK/kubeconfig"
  if [[ "$rtt" == "0" ]]; then return; fi
  port="$(free_port)"
  $(server_cpus) java -Xmx64m "$ROOT/bench/LatencyProxy.java" "$port" 127.0.0.1 "$API_PORT" "$rtt" \
    >"$WORK/proxy.log" 2>&1 &
  BENCH_PIDS+=($!)
  local deadline=$((SECONDS + 60))
  until grep -q '^listening=' "$WORK/proxy.log" 2>/dev/null; do
    if ((SECONDS > deadline)); then log "the latency proxy did not start"; cat "$WORK/proxy.log" >&2; return 1; fi
    sleep 0.2
  done
  CLIENT_SERVER="https://127.0.0.1:$port"
  CLIENT_KUBECONFIG="$WORK/kubeconfig-proxy"
  sed "s|$SERVER|$CLIENT_SERVER|" "$WORK/kubeconfig" >"$CLIENT_KUBECONFIG"
}

# request_counts: "verb=count ..." of apiserver_request_total for configmaps and secrets so far.
request_counts() {
  curl -ks -H "Authorization: Bearer $TOKEN" "$SERVER/metrics" |
    awk '/^apiserver_request_total\{/ && /resource="(configmaps|secrets)"/ {
           match($0, /verb="[A-Z]+"/); v = substr($0, RSTART + 6, RLENGTH - 7); c[v] += $NF }
         END {for (v in c) printf "%s=%d ", v, c[v]}'
}

# forget_pid PID: a process that has been waited for is not killed again (its id may be reused).
forget_pid() {
  local kept=() pid
  for pid in "${BENCH_PIDS[@]:-}"; do
    [[ -n "$pid" && "$pid" != "$1" ]] && kept+=("$pid")
  done
  BENCH_PIDS=("${kept[@]}")
}

stop_cluster() {
  local pid
  for pid in "${BENCH_PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]:-}"; do
    [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
}

# bench_objects ARGS...: the Java helper (source-file mode, Jackson from the operator's lib/).
bench_objects() {
  $(client_cpus) java -Xmx1g -cp "$ROOT/target/lib/*" "$ROOT/bench/BenchObjects.java" "$@"
}

# create_objects N NAMESPACES: prints "created=N seconds=S objects_per_s=R".
create_objects() {
  bench_objects create "${CLIENT_SERVER:-$SERVER}" "$TOKEN" "$1" "$2" "${OBJECT_SIZE:-2048}" "${CREATE_IN_FLIGHT:-64}"
}

# cpu_seconds PID: user+system CPU time the process has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

# start_operator DIR [ENV=VALUE...]: runs the operator jar in DIR with -Xmx${OPERATOR_XMX:-256m}, GC log,
# metrics on :8080 (not with BENCH_METRICS=0), optional JFR (BENCH_JFR=1) and extra JVM options
# (OPERATOR_JAVA_OPTS, split on spaces); sets OPERATOR_PID.
start_operator() {
  local dir="$1"; shift
  mkdir -p "$dir"
  local jfr=()
  if [[ -n "${BENCH_JFR:-}" ]]; then
    jfr=("-XX:StartFlightRecording=filename=$dir/operator.jfr,settings=profile,dumponexit=true")
  fi
  local java_opts=()
  read -r -a java_opts <<<"${OPERATOR_JAVA_OPTS:-}"
  local metrics=METRICS_SERVER=1
  [[ "${BENCH_METRICS:-1}" == "0" ]] && metrics=METRICS_SERVER=
  # A free health-probe port: another operator on this machine may hold the default 8081.
  local health_port
  health_port="$(free_port)"
  (cd "$dir" && exec env CHART_NAMESPACE=cattle-resources-system CATTLE_DEV_MODE=1 "$metrics" \
    HEALTH_PROBE_PORT="$health_port" "$@" \
    $(client_cpus) java "-Xmx${OPERATOR_XMX:-256m}" "-Xlog:gc:file=$dir/gc.log" "${jfr[@]}" "${java_opts[@]}" \
    -jar "${START_JAR:-${OPERATOR_JAR:-$ROOT/target/backup-restore-operator.jar}}" \
    --kubeconfig "${CLIENT_KUBECONFIG:-$WORK/kubeconfig}" \
    >"$dir/operator.log" 2>&1) &
  OPERATOR_PID=$!
  BENCH_PIDS+=($OPERATOR_PID)
  local deadline=$((SECONDS + 60))
  until grep -q "operator started" "$dir/operator.log" 2>/dev/null; do
    if ((SECONDS > deadline)) || ! kill -0 "$OPERATOR_PID" 2>/dev/null; then
      log "the operator did not start; its log:"; tail -30 "$dir/operator.log" >&2; return 1
    fi
    sleep 0.2
  done
}

stop_operator() {
  kill "$OPERATOR_PID" 2>/dev/null || true
  wait "$OPERATOR_PID" 2>/dev/null || true
  forget_pid "$OPERATOR_PID"
}

# sample_memory PID FILE: every 0.5 s, until the process exits or the sampler is killed, appends
# "rss_kib heap_bytes" (heap = sum of jvm_memory_used_bytes{area="heap"}). Bounded by the process.
sample_memory() {
  local pid="$1" out="$2" rss heap
  while kill -0 "$pid" 2>/dev/null; do
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    heap="$(curl -s --max-time 1 "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null |
      awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $2} END {printf "%.0f", s}')"
    echo "${rss:-0} ${heap:-0}" >>"$out"
    sleep 0.5
  done
}

# max_column FILE COLUMN
max_column() { awk -v c="$2" 'BEGIN {m = 0} $c > m {m = $c} END {printf "%.0f", m}' "$1"; }

vm_hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# gc_peaks GC_LOG: "peak_used_mib max_live_mib gcs": the largest heap occupancy before a GC, the
# largest after one (what stayed live), and the number of GCs, from -Xlog:gc lines "12M->3M(256M)".
gc_peaks() {
  python3 - "$1" <<'PY'
import re, sys
unit = {"K": 1 / 1024, "M": 1, "G": 1024}
before = after = 0.0
count = 0
for line in open(sys.argv[1]):
    m = re.search(r"(\d+)([KMG])->(\d+)([KMG])\(\d+[KMG]\)", line)
    if m:
        count += 1
        before = max(before, int(m.group(1)) * unit[m.group(2)])
        after = max(after, int(m.group(3)) * unit[m.group(4)])
print(f"{before:.0f} {after:.0f} {count}")
PY
}

# metric NAME_WITH_LABELS: one value from the operator's /metrics, empty when absent.
metric() {
  curl -s --max-time 2 "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v k="$1" '$1 == k {print $2}'
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }


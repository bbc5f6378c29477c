#!/usr/bin/env bash
# etcd snapshot benchmark: our snapshot against `etcdctl snapshot save` (the floor) on the same member.
#   1. start one etcd member on 127.0.0.1 with mutual TLS (certificates made here with openssl);
#   2. load COUNT values of SIZE bytes (default 8192 x 128 KiB = 1 GiB of k8s-like text);
#   3. REPEATS times, alternating: `etcdctl snapshot save` (gRPC, writes the raw file), then our snapshot
#      (health check of the member + stream over gRPC/HTTP/2 + trailer check + zip (Deflate level 1) with
#      the state file + fsync + rename) in a JVM with -Xmx${BENCH_XMX:-256m}, and once over the JSON gateway;
#   4. print a Markdown table: seconds, MB/s, ratio to the floor, peak RSS, and the load average.
# Environment: COUNT (8192), SIZE (131072), REPEATS (2), BENCH_XMX (256m), GATEWAY (1: also time the
# gateway), COMPRESS ("false true": the zip modes to time; Deflate level 1 costs ~45 MB per CPU-second here),
# KEEP_WORK=1. Needs target/classes and target/lib (./mvnw -DskipTests package).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
COUNT="${COUNT:-8192}"
SIZE="${SIZE:-131072}"
REPEATS="${REPEATS:-2}"
BENCH_XMX="${BENCH_XMX:-256m}"
GATEWAY="${GATEWAY:-1}"
COMPRESS_MODES="${COMPRESS:-false true}"
BIN="$(scripts/control-plane.sh | tail -1)"
[[ -x "$BIN/etcdctl" ]] || { echo "etcd-snapshot-bench: $BIN/etcdctl is missing (scripts/control-plane.sh builds it)" >&2; exit 1; }
[[ -d target/classes && -d target/lib ]] || ./mvnw -B -q -ntp -DskipTests package
WORK="$(mktemp -d -t bro-etcd-bench-XXXXXX)"
ETCD_PID=""
cleanup() {
  [[ -n "$ETCD_PID" ]] && kill "$ETCD_PID" 2>/dev/null && wait "$ETCD_PID" 2>/dev/null || true
  if [[ -n "${KEEP_WORK:-}" ]]; then echo "files kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A throw-away CA, a server certificate for 127.0.0.1 and a client certificate.
cd "$WORK"
openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -subj /CN=bench-ca -days 2 -out ca.crt 2>/dev/null
for who in server client; do
  openssl ecparam -name prime256v1 -genkey -noout -out $who.key 2>/dev/null
  openssl req -new -key $who.key -subj /CN=$who -out $who.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' > $who.ext
  openssl x509 -req -in $who.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile $who.ext -out $who.crt 2>/dev/null
done
cd "$ROOT"
CLIENT_PORT="$(free_port)"; PEER_PORT="$(free_port)"
ENDPOINT="https://127.0.0.1:$CLIENT_PORT"
"$BIN/etcd" --name bench --data-dir "$WORK/data" --quota-backend-bytes=$((8 << 30)) --unsafe-no-fsync \
  --listen-client-urls "$ENDPOINT" --advertise-client-urls "$ENDPOINT" \
  --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-cluster "bench=http://127.0.0.1:$PEER_PORT" --client-cert-auth --trusted-ca-file "$WORK/ca.crt" \
  --cert-file "$WORK/server.crt" --key-file "$WORK/server.key" --log-level warn >"$WORK/etcd.log" 2>&1 &
ETCD_PID=$!
TLS=(--cacert "$WORK/ca.crt" --cert "$WORK/client.crt" --key "$WORK/client.key")
for _ in $(seq 100); do "$BIN/etcdctl" --endpoints "$ENDPOINT" "${TLS[@]}" endpoint health >/dev/null 2>&1 && break; sleep 0.2; done
CP="target/classes:target/lib/*"
JAVA_ARGS=(-cp "$CP" bench/EtcdSnapshotBench.java "$ENDPOINT" "$WORK/ca.crt" "$WORK/client.crt" "$WORK/client.key")
log "loading $COUNT x $SIZE bytes; load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m "${JAVA_ARGS[0]}" "${JAVA_ARGS[1]}" "${JAVA_ARGS[2]}" load "${JAVA_ARGS[@]:3}" "$COUNT" "$SIZE" >&2
DB_BYTES="$("$BIN/etcdctl" --endpoints "$ENDPOINT" "${TLS[@]}" endpoint status -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Status"]["dbSize"])')"
log "database: $DB_BYTES bytes"

ROWS=()
row() { ROWS+=("| $1 | $2 | $(python3 -c "print(f'{$DB_BYTES/1e6/$2:.0f}')") | $3 | $4 | $5 | $6 |"); }
FLOOR=""
mkdir -p "$WORK/ours"
for r in $(seq "$REPEATS"); do
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"
  rm -f "$WORK/floor.db"
  start=$(date +%s.%N)
  /usr/bin/time -f %M -o "$WORK/etcdctl.rss" "$BIN/etcdctl" --endpoints "$ENDPOINT" "${TLS[@]}" snapshot save "$WORK/floor.db" >/dev/null 2>&1
  floor=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
  FLOOR="$floor"
  row "etcdctl snapshot save (floor), run $r" "$floor" "1.00" "$(($(cat "$WORK/etcdctl.rss") / 1024)) MiB" "raw file, size check only" "$load_avg"
  echo "${ROWS[-1]}" >&2
  for compress in $COMPRESS_MODES; do
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"
  out="$(COMPRESS=$compress java -Xmx"$BENCH_XMX" "${JAVA_ARGS[0]}" "${JAVA_ARGS[1]}" "${JAVA_ARGS[2]}" snapshot "${JAVA_ARGS[@]:3}" "$WORK/ours" GRPC 2)"
  log "$out"
  while read -r line; do
    n="$(sed -E 's/.*run=([0-9]+).*/\1/' <<<"$line")"
    total="$(sed -E 's/.*total_s=([0-9.]+).*/\1/' <<<"$line")"
    snap="$(sed -E 's/.*snapshot_s=([0-9.]+).*/\1/' <<<"$line")"
    rss="$(sed -E 's/.*peak_rss=([0-9]+)kB.*/\1/' <<<"$line")"
    zip="$(sed -E 's/.*zip_bytes=([0-9]+).*/\1/' <<<"$line")"
    kind=$([[ "$n" == 1 ]] && echo "cold JVM, as an agent Job" || echo "warm JVM, as the operator")
    row "ours, gRPC, compress=$compress, $kind, run $r" "$total" "$(python3 -c "print(f'{$total/$floor:.2f}')")" "$((rss / 1024)) MiB (JVM, -Xmx$BENCH_XMX)" "health + stream + trailer + zip + fsync; stream+zip ${snap} s; zip $((zip >> 20)) MiB" "$load_avg"
    echo "${ROWS[-1]}" >&2
  done <<<"$out"
  done
done
if [[ "$GATEWAY" == 1 ]]; then
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"
  out="$(java -Xmx"$BENCH_XMX" "${JAVA_ARGS[0]}" "${JAVA_ARGS[1]}" "${JAVA_ARGS[2]}" snapshot "${JAVA_ARGS[@]:3}" "$WORK/ours" GATEWAY 2 | tail -1)"
  log "$out"
  total="$(sed -E 's/.*total_s=([0-9.]+).*/\1/' <<<"$out")"
  rss="$(sed -E 's/.*peak_rss=([0-9]+)kB.*/\1/' <<<"$out")"
  row "ours, JSON gateway, warm JVM (for comparison)" "$total" "$(python3 -c "print(f'{$total/$FLOOR:.2f}')")" "$((rss / 1024)) MiB (JVM, -Xmx$BENCH_XMX)" "base64 in JSON" "$load_avg"
fi
echo
echo "etcd $("$BIN/etcd" --version | head -1 | awk '{print $3}'), database $((DB_BYTES >> 20)) MiB ($COUNT x $SIZE bytes), $(nproc) cores"
echo
echo "| run | seconds | MB/s | × floor | peak RSS | notes | load avg |"
echo "| --- | ---: | ---: | ---: | ---: | --- | ---: |"
printf '%s\n' "${ROWS[@]}"

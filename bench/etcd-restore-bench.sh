#!/usr/bin/env bash
# etcd restore benchmark: restore time of a ~1 GiB snapshot on 3 members, `etcd-restore run` against the floor,
# bare `etcdutl snapshot restore` of the already extracted file.
#   1. start one etcd (plain HTTP, 8 GiB quota, no fsync) and load SIZE_MIB of values (VALUE_KIB each, JSON-like
#      text that compresses about as Kubernetes objects do) through the JSON gateway;
#   2. take a snapshot zip as the node agent does (bench/EtcdSnapshotZip.java: health, stream, trailer, state file);
#   3. for each of 3 members (m1..m3, one 3-member --initial-cluster), time `etcd-restore run` (the operator jar:
#      sha256 of the zip, entry and manifest checks, extraction with the trailer check, etcdutl, swap) and the
#      floor (`etcdutl snapshot restore` of the extracted db into an empty directory);
#   4. start the 3 restored members, time until all are healthy, and run `etcd-restore verify`.
# The members run on one machine one after another; on a real cluster each node restores its own member at the
# same time, so a node's restore time is one row, not the sum.
# Environment: SIZE_MIB (1024), VALUE_KIB (128), OPERATOR_JAR (target/backup-restore-operator.jar, lib/ next to
# it), KEEP_WORK=1 (keep the scratch directory).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SIZE_MIB="${SIZE_MIB:-1024}"
VALUE_KIB="${VALUE_KIB:-128}"
JAR="${OPERATOR_JAR:-target/backup-restore-operator.jar}"
NAME="rke_etcd_snapshot_2026-12-01T00:00:00Z"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

BIN="$(scripts/control-plane.sh | tail -1)"
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
CP="$JAR:$(dirname "$JAR")/lib/*"
WORK="$(mktemp -d -t bro-etcd-restore-bench-XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "${KEEP_WORK:-}" ]]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log "machine: $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $("$BIN/etcdutl" version | head -1)"

wait_health() {
  local url="$1" deadline=$((SECONDS + 120))
  until curl -sf "$url/health" | grep -q '"true"'; do
    ((SECONDS < deadline)) || { log "$url not healthy"; return 1; }
    sleep 0.1
  done
}

# 1. Source etcd and data.
SRC_PORT="$(free_port)"; SRC_PEER="$(free_port)"
"$BIN/etcd" --name=source --data-dir="$WORK/source" \
  --listen-client-urls="http://127.0.0.1:$SRC_PORT" --advertise-client-urls="http://127.0.0.1:$SRC_PORT" \
  --listen-peer-urls="http://127.0.0.1:$SRC_PEER" --initial-advertise-peer-urls="http://127.0.0.1:$SRC_PEER" \
  --initial-cluster="source=http://127.0.0.1:$SRC_PEER" --unsafe-no-fsync=true \
  --quota-backend-bytes=$((8 * 1024 * 1024 * 1024)) --log-level=warn >"$WORK/source.log" 2>&1 &
SRC_PID=$!
PIDS+=($SRC_PID)
wait_health "http://127.0.0.1:$SRC_PORT"
log "loading $SIZE_MIB MiB ($((SIZE_MIB * 1024 / VALUE_KIB)) values of $VALUE_KIB KiB)"
t0="$(now)"
python3 - "$SRC_PORT" "$SIZE_MIB" "$VALUE_KIB" <<'PY'
import base64, http.client, json, random, sys
port, size_mib, value_kib = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port)
rnd = random.Random(1)
count = size_mib * 1024 // value_kib
for i in range(count):
    parts = []
    while sum(map(len, parts)) < value_kib * 1024:
        parts.append('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-%08x","uid":"%032x"},'
                     '"data":{"k":"%016x"}}' % (rnd.getrandbits(32), rnd.getrandbits(128), rnd.getrandbits(64)))
    value = "".join(parts)[: value_kib * 1024].encode()
    body = json.dumps({"key": base64.b64encode(b"/registry/configmaps/bench/cm-%06d" % i).decode(),
                       "value": base64.b64encode(value).decode()})
    conn.request("POST", "/v3/kv/put", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        sys.exit("put %d failed: %d" % (i, response.status))
PY
log "loaded in $(since "$t0") s"

# 2. Snapshot zip.
mkdir -p "$WORK/snapshots"
t0="$(now)"
java -cp "$CP" bench/EtcdSnapshotZip.java "http://127.0.0.1:$SRC_PORT" "$NAME" "$WORK/snapshots" >&2
SNAPSHOT_S="$(since "$t0")"
kill "$SRC_PID"; wait "$SRC_PID" 2>/dev/null || true
ZIP="$WORK/snapshots/$NAME.zip"
ZIP_BYTES="$(stat -c %s "$ZIP")"

# 3. Restore 3 members: ours, then the floor.
declare -a CLIENT PEER
INITIAL=""
for i in 1 2 3; do
  CLIENT[$i]="$(free_port)"; PEER[$i]="$(free_port)"
  INITIAL+="${INITIAL:+,}m$i=http://127.0.0.1:${PEER[$i]}"
done
MEMBERS=()
for i in 1 2 3; do MEMBERS+=("--member=m$i=http://127.0.0.1:${PEER[$i]}"); done

# The JVM's own start-up (picocli help, no work), to read the rows below.
t0="$(now)"
java -jar "$JAR" etcd-restore --help >/dev/null
JVM_S="$(since "$t0")"

ROWS=()
for i in 1 2 3; do
  load="$(loadavg)"
  t0="$(now)"
  java -jar "$JAR" etcd-restore run --snapshot="$ZIP" --name="m$i" --data-dir="$WORK/m$i" \
    --work-dir="$WORK/work-m$i" --etcdutl="$BIN/etcdutl" "${MEMBERS[@]}" --force-members \
    >"$WORK/restore-m$i.out" 2>"$WORK/restore-m$i.err"
  ours="$(since "$t0")"
  DB="$WORK/work-m$i/$NAME.db"
  DB_BYTES="$(stat -c %s "$DB")"
  t0="$(now)"
  "$BIN/etcdutl" snapshot restore "$DB" --data-dir="$WORK/floor-m$i" --name="m$i" \
    --initial-cluster="$INITIAL" --initial-cluster-token=floor \
    --initial-advertise-peer-urls="http://127.0.0.1:${PEER[$i]}" >"$WORK/floor-m$i.log" 2>&1
  floor="$(since "$t0")"
  rm -rf "$WORK/floor-m$i"
  # What extracting the etcd snapshot from the zip costs by itself (Python's zlib, one pass, no hashing).
  t0="$(now)"
  python3 -c 'import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)' "$ZIP" "$NAME" "$WORK/unzip-m$i.db"
  unzip_s="$(since "$t0")"
  rm -f "$WORK/unzip-m$i.db"
  ROWS+=("| m$i | $ours | $floor | $unzip_s | $(python3 -c "print(f'{$ours / $floor:.1f}')") | $load |")
  rm -f "$DB" # keep disk use down: each member's work copy of the db is 1 GiB
done

# 4. Start the restored members and verify.
t0="$(now)"
for i in 1 2 3; do
  "$BIN/etcd" --name="m$i" --data-dir="$WORK/m$i" \
    --listen-client-urls="http://127.0.0.1:${CLIENT[$i]}" --advertise-client-urls="http://127.0.0.1:${CLIENT[$i]}" \
    --listen-peer-urls="http://127.0.0.1:${PEER[$i]}" --initial-advertise-peer-urls="http://127.0.0.1:${PEER[$i]}" \
    --initial-cluster="$INITIAL" --quota-backend-bytes=$((8 * 1024 * 1024 * 1024)) --log-level=warn \
    >"$WORK/m$i.log" 2>&1 &
  PIDS+=($!)
done
for i in 1 2 3; do wait_health "http://127.0.0.1:${CLIENT[$i]}"; done
HEALTHY_S="$(since "$t0")"
ENDPOINTS="http://127.0.0.1:${CLIENT[1]},http://127.0.0.1:${CLIENT[2]},http://127.0.0.1:${CLIENT[3]}"
t0="$(now)"
VERIFY="$(java -jar "$JAR" etcd-restore verify --snapshot="$ZIP" --work-dir="$WORK/verify" \
  --endpoints="$ENDPOINTS" "${MEMBERS[@]}" 2>"$WORK/verify.err" | tail -1)" || true
VERIFY_S="$(since "$t0")"

echo
echo "### etcd restore of a $(python3 -c "print(f'{$DB_BYTES / 2**30:.2f}')") GiB snapshot ($DB_BYTES bytes) on 3 members"
echo
echo "snapshot zip: $ZIP_BYTES bytes, taken in $SNAPSHOT_S s; restored members healthy $HEALTHY_S s after start;"
echo "\`etcd-restore verify\`: $VERIFY ($VERIFY_S s); JVM start-up alone ($JVM_S s) is part of each row of ours;"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| member | etcd-restore run (s) | floor: etcdutl snapshot restore (s) | unzip alone (s) | run / floor | load avg |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"

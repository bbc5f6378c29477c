#!/usr/bin/env bash
# Verify benchmark: `kubectl bro verify` of an archive of N objects against the floor of reading the
# same archive with `tar -xzOf ARCHIVE > /dev/null` (gunzip and untar, no checks). For each N given
# (default: 10000 100000) and each of ENCRYPTED ("no yes": plain, and every Secret sealed with
# aescbc), the archive is written by bench/BenchArchive.java with the backup's own writer and cipher
# (half ConfigMaps, half Secrets of OBJECT_SIZE bytes in NAMESPACES namespaces). Prints wall time,
# CPU time, objects/s, peak RSS (via /usr/bin/time) and the heap's peak and live size (GC log) of the
# verifying JVM (-Xmx$VERIFY_XMX, default 64m: the same small heap at every N shows memory is flat),
# and verify / tar. No cluster needed. Environment: NAMESPACES (100), OBJECT_SIZE (2048),
# VERIFY_XMX (64m), ENCRYPTED ("no yes"), KEEP_WORK=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
NAMESPACES="${NAMESPACES:-100}"
OBJECT_SIZE="${OBJECT_SIZE:-2048}"
XMX="${VERIFY_XMX:-64m}"
read -r -a ENCRYPTED <<<"${ENCRYPTED:-no yes}"
JAR="${OPERATOR_JAR:-$ROOT/target/backup-restore-operator.jar}"
LIB="$(dirname "$JAR")/lib"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ -f "$JAR" ]] || ./mvnw -B -q -ntp -DskipTests package
command -v /usr/bin/time >/dev/null || { echo "verify-bench: needs /usr/bin/time (GNU time)" >&2; exit 1; }
WORK="$(mktemp -d -t bro-verify-bench-XXXXXX)"
cleanup() { if [[ -n "${KEEP_WORK:-}" ]]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

cat >"$WORK/aescbc.yaml" <<'YAML'
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: ["secrets"]
    providers:
      - aescbc:
          keys:
            - name: bench
              secret: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
YAML

# timed OUT_PREFIX CMD...: runs CMD, leaves "wall_s max_rss_kib user_s sys_s" in OUT_PREFIX.time.
timed() {
  local prefix="$1"
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$prefix.time" "$@"
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN {if (s > 0) printf "%.0f", n / s; else print "n/a"}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1f", a / b; else print "n/a"}'; }
peaks() {
  python3 - "$1" <<'PY'
import re, sys
unit = {"K": 1 / 1024, "M": 1, "G": 1024}
before = after = 0.0
for line in open(sys.argv[1]):
    m = re.search(r"(\d+)([KMG])->(\d+)([KMG])\(\d+[KMG]\)", line)
    if m:
        before = max(before, int(m.group(1)) * unit[m.group(2)])
        after = max(after, int(m.group(3)) * unit[m.group(4)])
print(f"{before:.0f} {after:.0f}")
PY
}

ROWS=()
for N in "${SIZES[@]}"; do
  for enc in "${ENCRYPTED[@]}"; do
    archive="$WORK/bench-$N-$enc.tar.gz"
    config=()
    [[ "$enc" == yes ]] && config=(-e "$WORK/aescbc.yaml")
    java -cp "$JAR:$LIB/*" bench/BenchArchive.java "$archive" "$N" "$NAMESPACES" "$OBJECT_SIZE" \
      ${config[1]:+"${config[1]}"}
    mib="$(awk -v b="$(stat -c %s "$archive")" 'BEGIN {printf "%.1f", b / 1048576}')"
    log "N=$N encrypted=$enc: archive $mib MiB"
    # Warm the page cache so that both read from memory.
    cat "$archive" >/dev/null

    load="$(cut -d' ' -f1 /proc/loadavg)"
    timed "$WORK/tar-$N-$enc" sh -c "tar -xzOf '$archive' >/dev/null"
    read -r tar_s tar_rss tar_u tar_sys <<<"$(cat "$WORK/tar-$N-$enc.time")"
    log "N=$N encrypted=$enc: tar -xzOf ${tar_s}s (load average $load)"

    gc="$WORK/gc-$N-$enc.log"
    timed "$WORK/verify-$N-$enc" java -XX:+UseSerialGC "-Xmx$XMX" "-Xlog:gc:file=$gc" \
      -jar "$JAR" bro verify "${config[@]}" "$archive" >"$WORK/verify-$N-$enc.out"
    read -r verify_s verify_rss verify_u verify_sys <<<"$(cat "$WORK/verify-$N-$enc.time")"
    read -r heap live <<<"$(peaks "$gc")"
    log "N=$N encrypted=$enc: verify ${verify_s}s: $(cat "$WORK/verify-$N-$enc.out")"
    grep -q '^OK ' "$WORK/verify-$N-$enc.out"
    objects=$((N + NAMESPACES))
    tar_cpu="$(awk -v u="$tar_u" -v s="$tar_sys" 'BEGIN {printf "%.2f", u + s}')"
    verify_cpu="$(awk -v u="$verify_u" -v s="$verify_sys" 'BEGIN {printf "%.2f", u + s}')"
    ROWS+=("$N|$enc|$mib|$load|$tar_s|$tar_cpu|$((tar_rss / 1024))|$verify_s|$verify_cpu|$(rate "$objects" "$verify_s")|$((verify_rss / 1024))|$heap|$live|$(ratio "$verify_cpu" "$tar_cpu")")
  done
done

echo
echo "| objects | encrypted | archive MiB | load avg | tar -xzOf wall s | tar CPU s | tar RSS MiB | verify wall s | verify CPU s | verify objects/s | verify RSS MiB | heap peak MiB | heap live MiB | verify / tar (CPU) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do echo "| ${row//|/ | } |"; done

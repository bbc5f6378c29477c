#!/usr/bin/env bash
# Builds the local Kubernetes control plane used by the integration tests and the demo:
# kube-apiserver and kubectl from the k8s.io/kubernetes module, etcd from go.etcd.io/etcd/server/v3.
# The versions and the verified checksums are in test-env/{kube,etcd}/go.{mod,sum}.
# Binaries are cached outside the repository, keyed by version, in the layout kube-api-test uses:
#   $BRO_TEST_ENV_DIR/k8s/<version>-linux-amd64/{kube-apiserver,kubectl,etcd,etcdutl,etcdctl}
# Prints the directory on the last line of standard output.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BRO_TEST_ENV_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-restore-operator/test-env}"
K8S_VERSION="$(awk '$1=="require" && $2=="k8s.io/kubernetes" {sub(/^v/,"",$3); print $3}' "$ROOT/test-env/kube/go.mod")"
ETCD_VERSION="$(awk '$1=="require" && $2=="go.etcd.io/etcd/server/v3" {print $3}' "$ROOT/test-env/etcd/go.mod")"
# etcdutl must have the same minor version as the etcd it restores for; the wrapper pins etcdutl and etcdctl together.
ETCDUTL_VERSION="$(awk '$1=="go.etcd.io/etcd/etcdutl/v3" {print $2}' "$ROOT/test-env/etcdutl/go.mod")"
OUT="$CACHE/k8s/${K8S_VERSION}-linux-amd64"
# Bump the recipe number when the way the binaries are built changes, so caches are rebuilt.
KUBE_STAMP="$K8S_VERSION recipe 2"

log() { echo "control-plane: $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "Go is required to build kube-apiserver and etcd (apt-get install golang-go, or a Go >= 1.24 toolchain)"
  exit 1
fi

# The wrapper modules' committed go.sum verifies every download, so the checksum database is not needed.
export GOFLAGS="-mod=readonly -trimpath"
export GOSUMDB=off
export CGO_ENABLED=0

mkdir -p "$OUT"
timed() {
  local what="$1"; shift
  local start=$SECONDS
  "$@"
  log "$what took $((SECONDS - start))s"
}

# Stamp the version the way Kubernetes' own build does, so that /version and kubectl report it.
version_ldflags() {
  local flags="" pkg
  local minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}
build_kube() {
  (cd "$ROOT/test-env/kube" && go build -ldflags "$(version_ldflags)" -o "$OUT/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  echo "$KUBE_STAMP" > "$OUT/.kube-version"
}
build_etcd() {
  (cd "$ROOT/test-env/etcd" && go build -o "$OUT/etcd" go.etcd.io/etcd/server/v3)
  echo "$ETCD_VERSION" > "$OUT/.etcd-version"
}
build_etcdutl() {
  (cd "$ROOT/test-env/etcdutl" && go build -o "$OUT/etcdutl" go.etcd.io/etcd/etcdutl/v3 &&
    go build -o "$OUT/etcdctl" go.etcd.io/etcd/etcdctl/v3)
  echo "$ETCDUTL_VERSION" > "$OUT/.etcdutl-version"
}

if [[ -x "$OUT/kube-apiserver" && -x "$OUT/kubectl" && "$(cat "$OUT/.kube-version" 2>/dev/null)" == "$KUBE_STAMP" ]]; then
  log "kube-apiserver and kubectl $K8S_VERSION cached in $OUT"
else
  log "building kube-apiserver and kubectl $K8S_VERSION (first time only: several minutes)"
  timed "building kube-apiserver and kubectl" build_kube
fi
if [[ -x "$OUT/etcd" && "$(cat "$OUT/.etcd-version" 2>/dev/null)" == "$ETCD_VERSION" ]]; then
  log "etcd $ETCD_VERSION cached in $OUT"
else
  log "building etcd $ETCD_VERSION"
  timed "building etcd" build_etcd
fi
if [[ -x "$OUT/etcdutl" && -x "$OUT/etcdctl" && "$(cat "$OUT/.etcdutl-version" 2>/dev/null)" == "$ETCDUTL_VERSION" ]]; then
  log "etcdutl and etcdctl $ETCDUTL_VERSION cached in $OUT"
else
  log "building etcdutl and etcdctl $ETCDUTL_VERSION"
  timed "building etcdutl and etcdctl" build_etcdutl
fi
echo "$OUT"

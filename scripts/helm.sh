#!/usr/bin/env bash
# Builds the helm command line used by the chart tests (helm lint, helm template) from the
# helm.sh/helm/v3 module: Debian ships no helm package. The version and the verified checksums are in
# test-env/helm/go.{mod,sum}. The binary is cached outside the repository, keyed by version, beside the
# control-plane binaries:
#   $BRO_TEST_ENV_DIR/helm/<version>-<os>-<arch>/helm
# Prints the binary's path on the last line of standard output (for BRO_HELM_BIN).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${BRO_TEST_ENV_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-restore-operator/test-env}"
MODULE_DIR="$ROOT/test-env/helm"
HELM_VERSION="$(awk '$1=="require" && $2=="helm.sh/helm/v3" {print $3}' "$MODULE_DIR/go.mod")"

log() { echo "helm: $*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "Go is required to build helm (apt-get install golang-go, or a Go >= 1.24 toolchain)"
  exit 1
fi

OUT="$CACHE/helm/${HELM_VERSION}-$(go env GOOS)-$(go env GOARCH)"
# Bump the recipe number when the way the binary is built changes, so caches are rebuilt.
STAMP="$HELM_VERSION recipe 1"

# The wrapper module's committed go.sum verifies every download, so the checksum database is not needed.
export GOFLAGS="-mod=readonly -trimpath"
export GOSUMDB=off
export CGO_ENABLED=0

# Stamp the versions the way Helm's own Makefile does: helm's version, and the Kubernetes version that
# `helm template` reports in .Capabilities and `helm lint` checks deprecated APIs against (client-go
# v0.X.Y is Kubernetes 1.X).
ldflags() {
  local client_go minor
  client_go="$(cd "$MODULE_DIR" && go list -f '{{.Version}}' -m k8s.io/client-go)"
  minor="$(echo "$client_go" | cut -d. -f2)"
  local flags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  flags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  local pkg
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    flags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$minor"
  done
  echo "$flags"
}

build_helm() {
  mkdir -p "$OUT"
  (cd "$MODULE_DIR" && go build -ldflags "$(ldflags)" -o "$OUT/helm" helm.sh/helm/v3/cmd/helm)
  echo "$STAMP" > "$OUT/.helm-version"
}

if [[ -x "$OUT/helm" && "$(cat "$OUT/.helm-version" 2>/dev/null)" == "$STAMP" ]]; then
  log "helm $HELM_VERSION cached in $OUT"
else
  log "building helm $HELM_VERSION (first time only: a minute or two)"
  start=$SECONDS
  build_helm
  log "building helm took $((SECONDS - start))s"
fi
echo "$OUT/helm"

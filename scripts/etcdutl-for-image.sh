#!/usr/bin/env bash
# Puts etcdutl into the image's build context, one binary per target architecture:
#   target/image/linux-<arch>/etcdutl      (default architectures: amd64 arm64)
# The Dockerfile copies the one matching TARGETARCH to /usr/local/bin/etcdutl, so the image build itself needs
# no network. etcdutl is built from the Go module proxy with the versions and checksums pinned in
# test-env/etcdutl/go.{mod,sum} (the same wrapper module scripts/control-plane.sh builds for the tests).
#   scripts/etcdutl-for-image.sh [amd64] [arm64]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARCHS=("$@")
[[ ${#ARCHS[@]} -gt 0 ]] || ARCHS=(amd64 arm64)

if ! command -v go >/dev/null 2>&1; then
  echo "etcdutl-for-image: Go is required to build etcdutl (apt-get install golang-go, or a Go >= 1.24 toolchain)" >&2
  exit 1
fi
export GOFLAGS="-mod=readonly -trimpath"
export GOSUMDB=off
export CGO_ENABLED=0

for arch in "${ARCHS[@]}"; do
  out="$ROOT/target/image/linux-$arch"
  mkdir -p "$out"
  (cd "$ROOT/test-env/etcdutl" && GOOS=linux GOARCH="$arch" go build -ldflags "-s -w" -o "$out/etcdutl" go.etcd.io/etcd/etcdutl/v3)
  echo "etcdutl-for-image: $out/etcdutl" >&2
done

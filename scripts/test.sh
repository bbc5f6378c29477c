#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a real kube-apiserver + etcd and a
# real S3 server (S3Proxy), all on 127.0.0.1. Installs what is missing on a fresh machine: the
# control-plane binaries (built from the Go module proxy, cached outside the repo) and Maven with
# the project's dependencies (through the Maven wrapper).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/prerequisites.sh
require_prerequisites

# First and cheap: nothing in the build, the tests or the scripts may read outside the repository.
python3 scripts/check-self-contained.py

start=$SECONDS
BRO_CONTROL_PLANE_BIN="$(scripts/control-plane.sh)"
export BRO_CONTROL_PLANE_BIN
BRO_HELM_BIN="$(scripts/helm.sh)"
export BRO_HELM_BIN
echo "test: control plane binaries ready in $((SECONDS - start))s ($BRO_CONTROL_PLANE_BIN)"

start=$SECONDS
./mvnw -B -ntp verify "$@"
echo "test: maven verify took $((SECONDS - start))s"


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

# ---------------------------------------------------------------------------------------------------
# The real-node tier (src/test/java/dev/backuprestore/e2e/RealNode*IT, issue 12), after every other
# test: the operator image built from the Dockerfile, installed with helm on a real single-node
# Kubernetes (scripts/e2e-node.sh). It needs root on Linux and fails with what is missing otherwise;
# BRO_REAL_NODE=0 leaves it out (say so loudly). The tests bring the node up once and down at the end
# themselves (the RealNode extension); the trap removes it if Maven dies half-way.
if [[ "${BRO_REAL_NODE:-1}" == 0 ]]; then
  echo "test: WARNING: BRO_REAL_NODE=0: the real-node tier (RealNode*IT) did NOT run" >&2
else
  start=$SECONDS
  trap 'scripts/e2e-node.sh down >/dev/null 2>&1 || echo "test: scripts/e2e-node.sh down failed" >&2' EXIT
  ./mvnw -B -ntp failsafe:integration-test failsafe:verify -Dit.test='RealNode*IT'
  echo "test: real-node tier took $((SECONDS - start))s"
fi

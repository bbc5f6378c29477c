#!/usr/bin/env bash
# The demo control plane has no controller manager: nothing garbage-collects the objects of a
# deleted namespace or finalizes it. This script does that job so the disaster is complete.
set -euo pipefail
KUBECTL="$BRO_CONTROL_PLANE_BIN/kubectl"
for ns in demo-shop demo-tools; do
  "$KUBECTL" delete all,configmaps,secrets,serviceaccounts,roles,rolebindings --all -n "$ns" \
    --wait=false >/dev/null 2>&1 || true
  "$KUBECTL" get namespace "$ns" -o json 2>/dev/null \
    | python3 -c 'import json,sys; ns=json.load(sys.stdin); ns["spec"]["finalizers"]=[]; print(json.dumps(ns))' \
    | "$KUBECTL" replace --raw "/api/v1/namespaces/$ns/finalize" -f - >/dev/null 2>&1 || true
done
for _ in $(seq 1 100); do
  if ! "$KUBECTL" get namespace demo-shop demo-tools >/dev/null 2>&1 \
    && ! "$KUBECTL" get crd widgets.demo.backuprestore.dev >/dev/null 2>&1; then
    echo "   namespaces demo-shop and demo-tools, the Widget CRD and the ClusterRole are gone"
    exit 0
  fi
  sleep 0.2
done
echo "demo: the deleted objects did not go away" >&2
exit 1

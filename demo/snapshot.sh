#!/usr/bin/env bash
# Prints one line per demo object: kind, namespace/name and a hash of what a restore must bring
# back (spec, data, labels, annotations, owner names; status for custom resources). Server-set
# fields (uid, resourceVersion, timestamps, managedFields) are left out.
set -euo pipefail
KUBECTL="$BRO_CONTROL_PLANE_BIN/kubectl"
namespaced="deployments,replicasets,pods,services,configmaps,secrets,serviceaccounts,roles,rolebindings"
{
  "$KUBECTL" get namespaces,clusterroles -l demo.backuprestore.dev/sample=true -o json
  for ns in demo-shop demo-tools; do
    "$KUBECTL" get "$namespaced" -n "$ns" -o json 2>/dev/null || true
  done
  "$KUBECTL" get crd widgets.demo.backuprestore.dev -o json 2>/dev/null || true
  "$KUBECTL" get widgets.demo.backuprestore.dev -A -o json 2>/dev/null || true
} | python3 "$(dirname "$0")/snapshot.py"

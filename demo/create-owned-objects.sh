#!/usr/bin/env bash
# Creates what a controller manager would: a ReplicaSet owned by each Deployment and Pods owned by
# the ReplicaSets (with the owners' UIDs), plus custom resources with a status. Used by the demo.
set -euo pipefail
KUBECTL="$BRO_CONTROL_PLANE_BIN/kubectl"

kubectl_() { "$KUBECTL" "$@"; }

for target in demo-shop/web demo-tools/cron-helper; do
  ns="${target%/*}"; deploy="${target#*/}"
  uid="$(kubectl_ get deployment "$deploy" -n "$ns" -o jsonpath='{.metadata.uid}')"
  image="$(kubectl_ get deployment "$deploy" -n "$ns" -o jsonpath='{.spec.template.spec.containers[0].image}')"
  cat <<YAML | kubectl_ apply -f - >/dev/null
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: $deploy-5d8f7c
  namespace: $ns
  labels: {app: $deploy, pod-template-hash: 5d8f7c}
  ownerReferences:
  - {apiVersion: apps/v1, kind: Deployment, name: $deploy, uid: $uid, controller: true, blockOwnerDeletion: true}
spec:
  replicas: 1
  selector: {matchLabels: {app: $deploy, pod-template-hash: 5d8f7c}}
  template:
    metadata: {labels: {app: $deploy, pod-template-hash: 5d8f7c}}
    spec:
      containers: [{name: main, image: $image}]
YAML
  rs_uid="$(kubectl_ get replicaset "$deploy-5d8f7c" -n "$ns" -o jsonpath='{.metadata.uid}')"
  cat <<YAML | kubectl_ apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata:
  name: $deploy-5d8f7c-x1
  namespace: $ns
  labels: {app: $deploy, pod-template-hash: 5d8f7c}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: $deploy-5d8f7c, uid: $rs_uid, controller: true, blockOwnerDeletion: true}
spec:
  containers: [{name: main, image: $image}]
YAML
done

for i in 1 2 3; do
  cat <<YAML | kubectl_ apply -f - >/dev/null
apiVersion: demo.backuprestore.dev/v1
kind: Widget
metadata: {name: widget-$i, namespace: demo-shop}
spec: {size: $((i * 10)), color: blue}
YAML
  kubectl_ patch widget "widget-$i" -n demo-shop --subresource=status --type=merge \
    -p "{\"status\":{\"phase\":\"Built\",\"builtAt\":\"2026-01-0${i}T00:00:00Z\"}}" >/dev/null
done
echo "   created ReplicaSets and Pods owned by the Deployments, and 3 Widgets with status"

#!/usr/bin/env bash
# The whole story on a throw-away local control plane, no cluster or S3 needed:
# install the CRDs, run the operator, create sample workloads, take an encrypted backup to a local
# directory, delete the namespaces and the CRD, restore, and check that every object is back.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib/prerequisites.sh
source scripts/lib/local-cluster.sh
require_prerequisites

DEMO_DIR="$(mktemp -d -t bro-demo-XXXXXX)"
DEMO_PIDS=()
OPERATOR_NS=cattle-resources-system
cleanup() {
  stop_local_cluster
  if [[ "${KEEP_DEMO_DIR:-}" == "" ]]; then rm -rf "$DEMO_DIR"; else echo "demo: files kept in $DEMO_DIR"; fi
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building the control plane binaries and the operator"
BRO_CONTROL_PLANE_BIN="$(scripts/control-plane.sh)"
export BRO_CONTROL_PLANE_BIN
./mvnw -B -q -ntp -DskipTests package
JAR="$ROOT/target/backup-restore-operator.jar"

step "Starting etcd and kube-apiserver on 127.0.0.1"
start_local_cluster
kubectl version 2>/dev/null | sed 's/^/   /'

step "Installing the CRDs"
kubectl apply -f crds/
kubectl wait --for=condition=Established --timeout=60s crd/backups.resources.cattle.io \
  crd/restores.resources.cattle.io crd/resourcesets.resources.cattle.io

step "Running the operator (dev mode: archives go to $DEMO_DIR/backups)"
kubectl create namespace "$OPERATOR_NS"
(cd "$DEMO_DIR" && CHART_NAMESPACE="$OPERATOR_NS" CATTLE_DEV_MODE=true \
  java -Xmx256m -jar "$JAR" --kubeconfig "$KUBECONFIG" >"$DEMO_DIR/operator.log" 2>&1) &
DEMO_PIDS+=($!)

step "Creating sample workloads"
kubectl apply -f demo/sample-workloads.yaml
demo/create-owned-objects.sh
kubectl get all,configmaps,secrets,serviceaccounts,roles,rolebindings -n demo-shop 2>/dev/null | sed 's/^/   /'
kubectl get widgets.demo.backuprestore.dev -A | sed 's/^/   /'
demo/snapshot.sh >"$DEMO_DIR/before.txt"

step "Taking an encrypted backup"
# A fresh key for this run, in place of the file's placeholder.
KEY="$(head -c 32 /dev/urandom | base64)"
sed "s|\"<REPLACE WITH: head -c 32 /dev/urandom \| base64>\"|$KEY|" demo/encryption-secret.yaml | kubectl apply -f -
kubectl apply -f demo/backup.yaml
if ! kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].message}'=Completed \
  --timeout=120s backup/demo-backup; then
  echo "demo: the backup did not complete; operator log:"; tail -40 "$DEMO_DIR/operator.log"; exit 1
fi
kubectl get backups
FILE="$(kubectl get backup demo-backup -o jsonpath='{.status.filename}')"
echo "   archive: $DEMO_DIR/backups/$FILE ($(stat -c %s "$DEMO_DIR/backups/$FILE") bytes)"
kubectl get backup demo-backup -o jsonpath='{.status}' | python3 -m json.tool | sed 's/^/   /'

step "Disaster: deleting the namespaces and the CRD"
kubectl delete namespace demo-shop demo-tools --wait=false
kubectl delete crd widgets.demo.backuprestore.dev
kubectl delete clusterrole demo-reader
demo/wait-gone.sh

step "Restoring $FILE"
sed "s/BACKUP_FILE/$FILE/" demo/restore.yaml | kubectl apply -f -
if ! kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].message}'=Completed \
  --timeout=180s restore/demo-restore; then
  echo "demo: the restore did not complete; operator log:"; tail -40 "$DEMO_DIR/operator.log"; exit 1
fi
kubectl get restores
kubectl get restore demo-restore -o jsonpath='{.status}' | python3 -m json.tool | sed 's/^/   /'

step "Checking that every object is back"
demo/snapshot.sh >"$DEMO_DIR/after.txt"
if diff -u "$DEMO_DIR/before.txt" "$DEMO_DIR/after.txt"; then
  echo "   all $(wc -l <"$DEMO_DIR/before.txt") objects are back, with the same content"
else
  echo "demo: some objects differ after the restore (diff above)"; exit 1
fi

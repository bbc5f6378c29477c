#!/usr/bin/env bash
# Regenerates the CRDs from src/main/java/dev/backuprestore/api (v1 and etcd/v1alpha1; the build writes them to
# target/classes/META-INF/fabric8) and copies them to the committed crds/ and to the CRD chart's
# templates/. Run it after changing an api.v1 class, then commit the result; CommittedCrdsTest fails
# until the committed copies equal the generated ones.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

./mvnw -B -ntp -q -DskipTests process-classes
generated=target/classes/META-INF/fabric8
for dir in crds charts/backup-restore-operator-crd/templates; do
  rm -f "$dir"/*.resources.cattle.io-v1.yml "$dir"/*.etcd.backuprestore.dev-v1.yml
  cp "$generated"/*.resources.cattle.io-v1.yml "$generated"/*.etcd.backuprestore.dev-v1.yml "$dir"/
done
git status --short -- crds charts/backup-restore-operator-crd/templates 2>/dev/null || true
echo "update-crds: crds/ and charts/backup-restore-operator-crd/templates/ hold the generated CRDs"

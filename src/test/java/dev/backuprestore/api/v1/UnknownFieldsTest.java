package dev.backuprestore.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * An upgrade installs the new CRD chart first, so for a while an older operator reads resources
 * with fields it does not know (and a newer Rancher CRD may add some): it must read them and keep
 * working, not fail every reconcile with "Unrecognized field".
 */
class UnknownFieldsTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void aBackupWithFieldsFromANewerSchemaIsRead() {
    Backup backup =
        serialization.unmarshal(
            """
            {"apiVersion":"resources.cattle.io/v1","kind":"Backup","metadata":{"name":"b"},
             "spec":{"resourceSetName":"rs","note":"new",
                     "storageLocation":{"s3":{"bucketName":"x","newS3Field":true},"other":{}}},
             "status":{"filename":"f.tar.gz","newStatusField":1,
                       "conditions":[{"type":"Ready","status":"True","newConditionField":"x"}]}}
            """,
            Backup.class);
    assertThat(backup.getSpec().getResourceSetName()).isEqualTo("rs");
    assertThat(backup.getSpec().getStorageLocation().getS3().getBucketName()).isEqualTo("x");
    assertThat(backup.getStatus().getFilename()).isEqualTo("f.tar.gz");
  }

  @Test
  void aRestoreAndAResourceSetWithUnknownFieldsAreRead() {
    Restore restore =
        serialization.unmarshal(
            """
            {"apiVersion":"resources.cattle.io/v1","kind":"Restore","metadata":{"name":"r"},
             "spec":{"backupFilename":"f.tar.gz","newField":"x"},"status":{"newField":2}}
            """,
            Restore.class);
    assertThat(restore.getSpec().getBackupFilename()).isEqualTo("f.tar.gz");
    ResourceSet set =
        serialization.unmarshal(
            """
            {"apiVersion":"resources.cattle.io/v1","kind":"ResourceSet","metadata":{"name":"s"},
             "resourceSelectors":[{"apiVersion":"v1","kinds":["ConfigMap"],"newSelectorField":1}],
             "controllerReferences":[{"apiVersion":"apps/v1","resource":"deployments",
                                      "name":"d","namespace":"n","newField":1}],
             "newTopLevelField":{}}
            """,
            ResourceSet.class);
    assertThat(set.getResourceSelectors()).hasSize(1);
  }

  @Test
  void anEtcdSnapshotWithUnknownFieldsIsRead() {
    EtcdSnapshot snapshot =
        serialization.unmarshal(
            """
            {"apiVersion":"etcd.backuprestore.dev/v1alpha1","kind":"EtcdSnapshot",
             "metadata":{"name":"e"},"spec":{"newField":1},"status":{"newField":2}}
            """,
            EtcdSnapshot.class);
    assertThat(snapshot.getMetadata().getName()).isEqualTo("e");
  }
}

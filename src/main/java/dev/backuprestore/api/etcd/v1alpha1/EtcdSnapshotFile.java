package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One stored copy of an etcd snapshot, on a node or in S3: {@code kubectl get etcdsnapshotfiles} is
 * the inventory. Rebuilt from what is in storage, since an etcd restore rolls these objects back to
 * snapshot time while the files stay. Field-compatible with K3s's ETCDSnapshotFile, with printer
 * columns that point at real fields.
 */
@Group(EtcdSnapshot.GROUP)
@Version(EtcdSnapshot.VERSION)
@Kind("EtcdSnapshotFile")
@Plural("etcdsnapshotfiles")
@Singular("etcdsnapshotfile")
@AdditionalPrinterColumn(
    name = "Snapshot",
    jsonPath = ".spec.snapshotName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Node",
    jsonPath = ".spec.nodeName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Location",
    jsonPath = ".spec.location",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Size",
    jsonPath = ".status.size",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Created",
    jsonPath = ".status.creationTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyToUse",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotFile extends CustomResource<EtcdSnapshotFileSpec, EtcdSnapshotFileStatus> {
  /** Label with the snapshot name's hash-safe form: which EtcdSnapshot made the file. */
  public static final String SNAPSHOT_LABEL = EtcdSnapshot.GROUP + "/snapshot";

  /** Label: the node that holds the copy, or {@code s3}. */
  public static final String STORAGE_NODE_LABEL = EtcdSnapshot.GROUP + "/storage-node";

  @Override
  protected EtcdSnapshotFileSpec initSpec() {
    return new EtcdSnapshotFileSpec();
  }
}

package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A one-time or recurring RKE-style etcd snapshot. Cluster-scoped; the group is the project's own,
 * never {@code resources.cattle.io} or K3s's {@code k3s.cattle.io}.
 */
@Group(EtcdSnapshot.GROUP)
@Version(EtcdSnapshot.VERSION)
@Kind("EtcdSnapshot")
@Plural("etcdsnapshots")
@Singular("etcdsnapshot")
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".spec.schedule",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Last-Snapshot",
    jsonPath = ".status.lastSnapshotName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Last-Success",
    jsonPath = ".status.lastSuccessTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Next",
    jsonPath = ".status.nextSnapshotTime",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Status",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    type = AdditionalPrinterColumn.Type.STRING)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshot extends CustomResource<EtcdSnapshotSpec, EtcdSnapshotStatus> {
  public static final String GROUP = "etcd.backuprestore.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  protected EtcdSnapshotSpec initSpec() {
    return new EtcdSnapshotSpec();
  }

  /** Whether the spec has a schedule. */
  @JsonIgnore
  public boolean isRecurring() {
    return getSpec() != null
        && getSpec().getSchedule() != null
        && !getSpec().getSchedule().isBlank();
  }
}

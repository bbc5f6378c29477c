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
 * Prepares an etcd restore while the cluster is still up: every etcd node fetches the snapshot zip
 * and verifies it, and {@code Prepared=True} says they all hold the recorded bytes (RKE's "same
 * snapshot on every node" step). It touches no etcd data directory: the restore itself is {@code
 * etcd-restore run} on each node, once etcd is stopped. Cluster-scoped, like EtcdSnapshot.
 */
@Group(EtcdSnapshot.GROUP)
@Version(EtcdSnapshot.VERSION)
@Kind("EtcdRestore")
@Plural("etcdrestores")
@Singular("etcdrestore")
@AdditionalPrinterColumn(
    name = "Snapshot",
    jsonPath = ".status.snapshot",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Prepared",
    jsonPath = ".status.conditions[?(@.type==\"Prepared\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Status",
    jsonPath = ".status.conditions[?(@.type==\"Prepared\")].message",
    type = AdditionalPrinterColumn.Type.STRING)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdRestore extends CustomResource<EtcdRestoreSpec, EtcdRestoreStatus> {
  @Override
  protected EtcdRestoreSpec initSpec() {
    return new EtcdRestoreSpec();
  }
}

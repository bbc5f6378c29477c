package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Restores the objects of one backup archive. Cluster-scoped, like Rancher's {@code
 * restores.resources.cattle.io}.
 */
@Group(Backup.GROUP)
@Version(Backup.VERSION)
@Kind("Restore")
@Plural("restores")
@Singular("restore")
@AdditionalPrinterColumn(
    name = "Backup-Source",
    jsonPath = ".status.backupSource",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Backup-File",
    jsonPath = ".spec.backupFilename",
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
public class Restore extends CustomResource<RestoreSpec, RestoreStatus> {
  @Override
  @Required
  public RestoreSpec getSpec() {
    return super.getSpec();
  }
}

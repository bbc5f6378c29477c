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
 * A one-time or recurring backup of the objects selected by a ResourceSet. Cluster-scoped, like
 * Rancher's {@code backups.resources.cattle.io}.
 */
@Group(Backup.GROUP)
@Version(Backup.VERSION)
@Kind("Backup")
@Plural("backups")
@Singular("backup")
@AdditionalPrinterColumn(
    name = "Location",
    jsonPath = ".status.storageLocation",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Type",
    jsonPath = ".status.backupType",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Latest-Backup",
    jsonPath = ".status.filename",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "ResourceSet",
    jsonPath = ".spec.resourceSetName",
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
public class Backup extends CustomResource<BackupSpec, BackupStatus> {
  public static final String GROUP = "resources.cattle.io";
  public static final String VERSION = "v1";

  @Override
  @Required
  public BackupSpec getSpec() {
    return super.getSpec();
  }
}

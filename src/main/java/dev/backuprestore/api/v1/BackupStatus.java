package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import java.util.List;

/** Observed state of a Backup, with Rancher's field names and value formats. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        """
        properties:
          conditions:
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [type]
          observedGeneration: {format: int64}
        """)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BackupStatus implements ConditionedStatus {
  @JsonPropertyDescription("Conditions Ready, Uploaded, Reconciling and Stalled, keyed by type.")
  private List<Condition> conditions;

  @JsonPropertyDescription("RFC3339 time of the last successful backup.")
  private String lastSnapshotTs;

  @JsonPropertyDescription("RFC3339 time of the next scheduled backup; recurring backups only.")
  private String nextSnapshotAt;

  @JsonPropertyDescription("The metadata.generation that the last backup was taken for.")
  private Long observedGeneration;

  @JsonPropertyDescription("Kind of storage the last archive went to: S3 or PV.")
  private String storageLocation;

  @JsonPropertyDescription("One-time or Recurring.")
  private BackupType backupType;

  @JsonPropertyDescription("File name (without folder) of the latest archive.")
  private String filename;

  @JsonPropertyDescription(
      "Counts of the last successful backup: objects written, archive bytes and archives removed"
          + " by retention (Rancher declares this field but leaves it empty).")
  private String summary;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getLastSnapshotTs() {
    return lastSnapshotTs;
  }

  public void setLastSnapshotTs(String lastSnapshotTs) {
    this.lastSnapshotTs = lastSnapshotTs;
  }

  public String getNextSnapshotAt() {
    return nextSnapshotAt;
  }

  public void setNextSnapshotAt(String nextSnapshotAt) {
    this.nextSnapshotAt = nextSnapshotAt;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getStorageLocation() {
    return storageLocation;
  }

  public void setStorageLocation(String storageLocation) {
    this.storageLocation = storageLocation;
  }

  public BackupType getBackupType() {
    return backupType;
  }

  public void setBackupType(BackupType backupType) {
    this.backupType = backupType;
  }

  public String getFilename() {
    return filename;
  }

  public void setFilename(String filename) {
    this.filename = filename;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }
}

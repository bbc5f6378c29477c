package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import java.util.List;

/** Observed state of a Restore, with Rancher's field names and value formats. */
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
public class RestoreStatus implements ConditionedStatus {
  @JsonPropertyDescription("Conditions Ready, Reconciling and Stalled, keyed by type.")
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "RFC3339 time at which the restore completed; a completed Restore is never run again.")
  private String restoreCompletionTs;

  @JsonPropertyDescription("The metadata.generation that the restore ran for.")
  private Long observedGeneration;

  @JsonPropertyDescription("Kind of storage the archive came from: S3 or PV.")
  private String backupSource;

  @JsonPropertyDescription(
      "Counts of the completed restore: objects created, updated, pruned and failed, then the"
          + " first warnings (Rancher declares this field but leaves it empty).")
  private String summary;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getRestoreCompletionTs() {
    return restoreCompletionTs;
  }

  public void setRestoreCompletionTs(String restoreCompletionTs) {
    this.restoreCompletionTs = restoreCompletionTs;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getBackupSource() {
    return backupSource;
  }

  public void setBackupSource(String backupSource) {
    this.backupSource = backupSource;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }
}

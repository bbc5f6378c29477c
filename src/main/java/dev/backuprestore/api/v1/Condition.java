package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * One status condition, shaped like wrangler's {@code genericcondition.GenericCondition} that
 * Rancher Backups writes: times are RFC3339 strings, not {@code metav1.Time}, and there is no
 * observedGeneration per condition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Condition {
  @Required
  @JsonPropertyDescription(
      "Type of the condition: Ready, Reconciling, Stalled, or Uploaded (Backups only).")
  private String type;

  @Required
  @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
  private String status;

  @JsonPropertyDescription("Human-readable details about the last transition.")
  private String message;

  @JsonPropertyDescription("Machine-readable reason for the last transition, e.g. Error.")
  private String reason;

  @JsonPropertyDescription("RFC3339 time at which this condition was last updated.")
  private String lastUpdateTime;

  @JsonPropertyDescription("RFC3339 time at which the status last changed.")
  private String lastTransitionTime;

  public Condition() {}

  public Condition(String type, String status) {
    this.type = type;
    this.status = status;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getLastUpdateTime() {
    return lastUpdateTime;
  }

  public void setLastUpdateTime(String lastUpdateTime) {
    this.lastUpdateTime = lastUpdateTime;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }
}

package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.backuprestore.api.v1.Condition;
import java.util.List;

/** What the last runs did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotStatus {
  @JsonPropertyDescription("Ready, Reconciling, Stalled, Uploaded and Healthy, in Rancher's shape.")
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "The generation the status is about; a one-time snapshot runs once per generation.")
  private Long observedGeneration;

  @JsonPropertyDescription("Name of the last successful snapshot.")
  private String lastSnapshotName;

  @JsonPropertyDescription("RFC3339 time of the last run.")
  private String lastAttemptTime;

  @JsonPropertyDescription("RFC3339 time of the last successful run.")
  private String lastSuccessTime;

  @JsonPropertyDescription("RFC3339 time of the next recurring run.")
  private String nextSnapshotTime;

  @JsonPropertyDescription("Snapshot name of the run in progress.")
  private String currentRun;

  @JsonPropertyDescription("Failed health checks of the run in progress.")
  private Integer healthAttempts;

  @JsonPropertyDescription("The members as the last health check saw them.")
  private List<EtcdMemberStatus> members;

  @JsonPropertyDescription("The last failure.")
  private EtcdSnapshotFailure lastFailure;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastSnapshotName() {
    return lastSnapshotName;
  }

  public void setLastSnapshotName(String lastSnapshotName) {
    this.lastSnapshotName = lastSnapshotName;
  }

  public String getLastAttemptTime() {
    return lastAttemptTime;
  }

  public void setLastAttemptTime(String lastAttemptTime) {
    this.lastAttemptTime = lastAttemptTime;
  }

  public String getLastSuccessTime() {
    return lastSuccessTime;
  }

  public void setLastSuccessTime(String lastSuccessTime) {
    this.lastSuccessTime = lastSuccessTime;
  }

  public String getNextSnapshotTime() {
    return nextSnapshotTime;
  }

  public void setNextSnapshotTime(String nextSnapshotTime) {
    this.nextSnapshotTime = nextSnapshotTime;
  }

  public String getCurrentRun() {
    return currentRun;
  }

  public void setCurrentRun(String currentRun) {
    this.currentRun = currentRun;
  }

  public Integer getHealthAttempts() {
    return healthAttempts;
  }

  public void setHealthAttempts(Integer healthAttempts) {
    this.healthAttempts = healthAttempts;
  }

  public List<EtcdMemberStatus> getMembers() {
    return members;
  }

  public void setMembers(List<EtcdMemberStatus> members) {
    this.members = members;
  }

  public EtcdSnapshotFailure getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(EtcdSnapshotFailure lastFailure) {
    this.lastFailure = lastFailure;
  }
}

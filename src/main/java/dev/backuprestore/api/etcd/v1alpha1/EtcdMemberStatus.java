package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One member as the last health check saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdMemberStatus {
  @JsonPropertyDescription("Member name.")
  private String name;

  @JsonPropertyDescription("Member ID (hex).")
  private String id;

  @JsonPropertyDescription("Client URL.")
  private String endpoint;

  @JsonPropertyDescription("Whether it is the leader.")
  private Boolean leader;

  @JsonPropertyDescription("Whether it is a learner.")
  private Boolean learner;

  @JsonPropertyDescription("Backend size in bytes.")
  private Long dbSize;

  @JsonPropertyDescription("Backend bytes in use.")
  private Long dbSizeInUse;

  @JsonPropertyDescription("Applied raft index.")
  private Long raftAppliedIndex;

  @JsonPropertyDescription("Whether the member passed every check.")
  private Boolean healthy;

  @JsonPropertyDescription("What is wrong with the member.")
  private String error;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Boolean getLeader() {
    return leader;
  }

  public void setLeader(Boolean leader) {
    this.leader = leader;
  }

  public Boolean getLearner() {
    return learner;
  }

  public void setLearner(Boolean learner) {
    this.learner = learner;
  }

  public Long getDbSize() {
    return dbSize;
  }

  public void setDbSize(Long dbSize) {
    this.dbSize = dbSize;
  }

  public Long getDbSizeInUse() {
    return dbSizeInUse;
  }

  public void setDbSizeInUse(Long dbSizeInUse) {
    this.dbSizeInUse = dbSizeInUse;
  }

  public Long getRaftAppliedIndex() {
    return raftAppliedIndex;
  }

  public void setRaftAppliedIndex(Long raftAppliedIndex) {
    this.raftAppliedIndex = raftAppliedIndex;
  }

  public Boolean getHealthy() {
    return healthy;
  }

  public void setHealthy(Boolean healthy) {
    this.healthy = healthy;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }
}

package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.backuprestore.api.v1.Condition;
import java.util.List;

/** The prepare run of the current generation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdRestoreStatus {
  @JsonPropertyDescription(
      "Prepared (True only when every node verified the recorded sha256), Ready, Reconciling and Stalled, in Rancher's shape.")
  private List<Condition> conditions;

  @JsonPropertyDescription("The generation the Prepared condition is about.")
  private Long observedGeneration;

  @JsonPropertyDescription("The zip's location as the nodes fetch it.")
  private String snapshot;

  @JsonPropertyDescription(
      "The recorded sha256 every node must match, if one was known to the operator.")
  private String expectedSha256;

  @JsonPropertyDescription("Per node: the verified sha256 or the error.")
  private List<EtcdRestoreNodeStatus> nodes;

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

  public String getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(String snapshot) {
    this.snapshot = snapshot;
  }

  public String getExpectedSha256() {
    return expectedSha256;
  }

  public void setExpectedSha256(String expectedSha256) {
    this.expectedSha256 = expectedSha256;
  }

  public List<EtcdRestoreNodeStatus> getNodes() {
    return nodes;
  }

  public void setNodes(List<EtcdRestoreNodeStatus> nodes) {
    this.nodes = nodes;
  }
}

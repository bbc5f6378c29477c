package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One node's prepare result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdRestoreNodeStatus {
  @JsonPropertyDescription("The node.")
  private String node;

  @JsonPropertyDescription("The sha256 of the zip this node fetched and verified.")
  private String sha256;

  @JsonPropertyDescription(
      "Whether that sha256 equals the recorded one (or, with none recorded, the other nodes').")
  private Boolean matches;

  @JsonPropertyDescription("Why not: FETCH, VERIFY, USAGE, ChecksumMismatch, NoResult, JobFailed.")
  private String reason;

  @JsonPropertyDescription("The node's error message.")
  private String error;

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public Boolean getMatches() {
    return matches;
  }

  public void setMatches(Boolean matches) {
    this.matches = matches;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }
}

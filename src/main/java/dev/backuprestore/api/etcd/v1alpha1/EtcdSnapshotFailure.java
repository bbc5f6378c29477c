package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last failed run (failed runs are never counted by retention). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotFailure {
  @JsonPropertyDescription("RFC3339 time of the failure.")
  private String time;

  @JsonPropertyDescription("The member it concerns, when one.")
  private String member;

  @JsonPropertyDescription(
      "MemberUnreachable, AlarmActive, HashMismatch, NoLeader, MemberLagging, MemberErrors, MemberIsLearner, QuorumReadFailed, SnapshotFailed, S3Failed, Timeout...")
  private String reason;

  @JsonPropertyDescription("What failed.")
  private String message;

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getMember() {
    return member;
  }

  public void setMember(String member) {
    this.member = member;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}

package dev.backuprestore.etcd;

/**
 * Why the cluster is not healthy enough for a snapshot.
 *
 * @param member the member's name (or endpoint when its name is unknown); empty for the cluster
 * @param reason a CamelCase reason for conditions, Events and the failures metric
 * @param message what is wrong, for people
 */
public record HealthProblem(String member, String reason, String message) {
  public static final String UNREACHABLE = "MemberUnreachable";
  public static final String MEMBER_ERRORS = "MemberErrors";
  public static final String NO_LEADER = "NoLeader";
  public static final String LEARNER = "MemberIsLearner";
  public static final String LAGGING = "MemberLagging";
  public static final String ALARM = "AlarmActive";
  public static final String READ_FAILED = "QuorumReadFailed";
  public static final String HASH_MISMATCH = "HashMismatch";

  /** {@code member m2: reason text}. */
  public String describe() {
    return (member.isEmpty() ? "cluster" : "member " + member) + ": " + message;
  }
}

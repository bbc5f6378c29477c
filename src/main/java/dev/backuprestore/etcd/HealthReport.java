package dev.backuprestore.etcd;

import dev.backuprestore.etcd.client.EtcdMember;
import dev.backuprestore.etcd.client.EtcdStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of one {@link EtcdHealthCheck}: every member with its status, the common revision and
 * KV hash, and the problems found. Healthy means no problems.
 *
 * @param members the members (MemberList order)
 * @param statuses per member ID, the status of the members that answered
 * @param leaderId the leader all members agree on, 0 if none
 * @param revision the common revision the KV hashes were compared at, 0 when not reached
 * @param hashKV the KV hash at {@code revision} (unsigned 32-bit), when reached
 * @param compactRevision the compacted revision reported with the hash
 * @param problems what is wrong; empty when healthy
 * @param warnings what is not wrong yet (e.g. a database close to its quota)
 */
public record HealthReport(
    List<EtcdMember> members,
    Map<Long, EtcdStatus> statuses,
    long leaderId,
    long revision,
    long hashKV,
    long compactRevision,
    List<HealthProblem> problems,
    List<String> warnings) {

  public boolean healthy() {
    return problems.isEmpty();
  }

  /** All problems in one line, for a status message. */
  public String summary() {
    return healthy()
        ? "all " + members.size() + " members healthy"
        : problems.stream().map(HealthProblem::describe).collect(Collectors.joining("; "));
  }

  /** The reason of the first problem, for a condition. */
  public String firstReason() {
    return problems.isEmpty() ? "Healthy" : problems.get(0).reason();
  }

  /** Any member's status (for cluster ID and versions). */
  public EtcdStatus anyStatus() {
    return statuses.values().stream().findFirst().orElse(null);
  }
}

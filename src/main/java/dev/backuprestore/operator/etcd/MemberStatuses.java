package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdMemberStatus;
import dev.backuprestore.etcd.HealthProblem;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.client.EtcdMember;
import dev.backuprestore.etcd.client.EtcdStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A health report as {@code status.members}. */
final class MemberStatuses {
  private MemberStatuses() {}

  static List<EtcdMemberStatus> of(HealthReport report) {
    List<EtcdMemberStatus> out = new ArrayList<>();
    for (EtcdMember member : report.members()) {
      EtcdMemberStatus s = new EtcdMemberStatus();
      s.setName(member.displayName());
      s.setId(member.hexId());
      s.setEndpoint(member.clientURLs().isEmpty() ? null : member.clientURLs().get(0));
      s.setLearner(member.learner());
      s.setLeader(member.id() == report.leaderId());
      EtcdStatus status = report.statuses().get(member.id());
      if (status != null) {
        s.setDbSize(status.dbSize());
        s.setDbSizeInUse(status.dbSizeInUse());
        s.setRaftAppliedIndex(status.raftAppliedIndex());
      }
      String problems =
          report.problems().stream()
              .filter(p -> p.member().equals(member.displayName()))
              .map(HealthProblem::message)
              .collect(Collectors.joining("; "));
      s.setHealthy(problems.isEmpty() && status != null);
      s.setError(problems.isEmpty() ? null : problems);
      out.add(s);
    }
    return out;
  }

  /**
   * The member that streams the snapshot in operator mode: a non-learner with the highest applied
   * index, lowest ID on ties, the leader last (keeps the stream's load off the leader).
   */
  static EtcdMember designated(HealthReport report) {
    return report.members().stream()
        .filter(m -> !m.learner() && report.statuses().containsKey(m.id()))
        .sorted(
            java.util.Comparator.<EtcdMember>comparingInt(m -> m.id() == report.leaderId() ? 1 : 0)
                .thenComparing(m -> -report.statuses().get(m.id()).raftAppliedIndex())
                .thenComparing(m -> Long.toUnsignedString(m.id())))
        .findFirst()
        .orElseThrow();
  }
}

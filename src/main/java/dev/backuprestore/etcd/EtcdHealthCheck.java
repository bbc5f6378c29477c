package dev.backuprestore.etcd;

import dev.backuprestore.etcd.client.EtcdAlarm;
import dev.backuprestore.etcd.client.EtcdCallException;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.etcd.client.EtcdHashKv;
import dev.backuprestore.etcd.client.EtcdMaintenance;
import dev.backuprestore.etcd.client.EtcdMember;
import dev.backuprestore.etcd.client.EtcdStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks every member before a snapshot, so that only a healthy cluster is snapshotted (RKE checks
 * only the local member's quorum read and alarms; we check all members and compare them):
 *
 * <ol>
 *   <li>MemberList from the first endpoint that answers;
 *   <li>per member Status: no errors, not a learner, the same leader as the others, an applied
 *       index within {@code maxAppliedLag} of the leader's raft index;
 *   <li>no alarm (NOSPACE, CORRUPT);
 *   <li>a linearizable read on every member (it needs quorum, as {@code etcdctl endpoint health});
 *   <li>HashKV at a common revision (the lowest revision any member reported), equal on all.
 * </ol>
 *
 * One attempt per call: the caller retries (a node agent may wait between attempts; the operator
 * reschedules instead of sleeping on a reconcile thread).
 */
public final class EtcdHealthCheck {
  /** etcd refuses proposals when the applied index trails the committed one by 5000. */
  public static final long DEFAULT_MAX_APPLIED_LAG = 1000;

  private static final double QUOTA_WARNING = 0.8;
  private final EtcdConnector connector;
  private final long maxAppliedLag;

  public EtcdHealthCheck(EtcdConnector connector, long maxAppliedLag) {
    this.connector = connector;
    this.maxAppliedLag = maxAppliedLag;
  }

  /**
   * @param endpoints where to ask for the member list (any member's client URL)
   */
  public HealthReport check(List<String> endpoints) {
    List<HealthProblem> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<EtcdMember> members = null;
    List<String> tried = new ArrayList<>();
    for (String endpoint : endpoints) {
      try (EtcdMaintenance etcd = connector.connect(endpoint)) {
        members = etcd.memberList();
        break;
      } catch (EtcdCallException e) {
        tried.add(e.getMessage());
      }
    }
    if (members == null) {
      problems.add(
          new HealthProblem(
              "",
              HealthProblem.UNREACHABLE,
              "no endpoint answered the member list: " + String.join("; ", tried)));
      return new HealthReport(List.of(), Map.of(), 0, 0, 0, -1, problems, warnings);
    }

    Map<Long, EtcdStatus> statuses = new LinkedHashMap<>();
    Map<Long, Long> readRevisions = new HashMap<>();
    Set<Long> leaders = new TreeSet<>();
    List<EtcdAlarm> alarms = null;
    for (EtcdMember member : members) {
      String name = member.displayName();
      if (member.clientURLs().isEmpty()) {
        problems.add(
            new HealthProblem(
                name, HealthProblem.UNREACHABLE, "has no client URL (added but never started)"));
        continue;
      }
      try (EtcdMaintenance etcd = connector.connect(member.clientURLs().get(0))) {
        EtcdStatus status = etcd.status();
        statuses.put(member.id(), status);
        leaders.add(status.leader());
        if (!status.errors().isEmpty()) {
          problems.add(
              new HealthProblem(
                  name,
                  HealthProblem.MEMBER_ERRORS,
                  "reports " + String.join(", ", status.errors())));
        }
        if (status.learner() || member.learner()) {
          problems.add(
              new HealthProblem(
                  name, HealthProblem.LEARNER, "is a learner (still joining the cluster)"));
        }
        if (status.dbSizeQuota() > 0 && status.dbSize() > QUOTA_WARNING * status.dbSizeQuota()) {
          warnings.add(
              "member "
                  + name
                  + " database "
                  + status.dbSize()
                  + " bytes is above 80% of its quota "
                  + status.dbSizeQuota());
        }
        if (alarms == null) {
          alarms = etcd.alarms();
        }
        readRevisions.put(member.id(), etcd.linearizableRead("health"));
      } catch (EtcdCallException e) {
        String reason =
            statuses.containsKey(member.id())
                ? HealthProblem.READ_FAILED
                : HealthProblem.UNREACHABLE;
        problems.add(new HealthProblem(name, reason, e.getMessage()));
      }
    }

    long leader = 0;
    leaders.remove(0L);
    if (leaders.size() != 1) {
      problems.add(
          new HealthProblem(
              "",
              HealthProblem.NO_LEADER,
              leaders.isEmpty()
                  ? "no member reports a leader"
                  : "members disagree on the leader: " + hexes(leaders)));
    } else {
      leader = leaders.iterator().next();
      EtcdStatus leaderStatus = statuses.get(leader);
      if (leaderStatus == null) {
        problems.add(
            new HealthProblem(
                "",
                HealthProblem.NO_LEADER,
                "the leader " + Long.toHexString(leader) + " did not answer"));
      } else {
        for (EtcdMember member : members) {
          EtcdStatus status = statuses.get(member.id());
          if (status != null
              && leaderStatus.raftIndex() - status.raftAppliedIndex() > maxAppliedLag) {
            problems.add(
                new HealthProblem(
                    member.displayName(),
                    HealthProblem.LAGGING,
                    "applied index "
                        + status.raftAppliedIndex()
                        + " trails the leader's raft index "
                        + leaderStatus.raftIndex()
                        + " by more than "
                        + maxAppliedLag));
          }
        }
      }
    }

    for (EtcdAlarm alarm : alarms == null ? List.<EtcdAlarm>of() : alarms) {
      String owner =
          members.stream()
              .filter(m -> m.id() == alarm.memberId())
              .map(EtcdMember::displayName)
              .findFirst()
              .orElse(Long.toHexString(alarm.memberId()));
      problems.add(
          new HealthProblem(owner, HealthProblem.ALARM, "alarm " + alarm.type() + " is active"));
    }

    long revision = 0;
    long hash = 0;
    long compact = -1;
    if (problems.isEmpty()) {
      revision = readRevisions.values().stream().mapToLong(Long::longValue).min().orElse(0);
      EtcdMember first = null;
      for (EtcdMember member : members) {
        try (EtcdMaintenance etcd = connector.connect(member.clientURLs().get(0))) {
          EtcdHashKv kv = etcd.hashKv(revision);
          if (first == null) {
            first = member;
            hash = kv.hash();
            compact = kv.compactRevision();
          } else if (kv.hash() != hash) {
            problems.add(
                new HealthProblem(
                    member.displayName(),
                    HealthProblem.HASH_MISMATCH,
                    "KV hash "
                        + kv.hash()
                        + " at revision "
                        + revision
                        + " differs from "
                        + first.displayName()
                        + "'s "
                        + hash));
          }
        } catch (EtcdCallException e) {
          problems.add(
              new HealthProblem(member.displayName(), HealthProblem.READ_FAILED, e.getMessage()));
        }
      }
    }
    return new HealthReport(
        List.copyOf(members),
        java.util.Collections.unmodifiableMap(statuses),
        leader,
        revision,
        hash,
        compact,
        List.copyOf(problems),
        List.copyOf(warnings));
  }

  private static String hexes(Set<Long> ids) {
    List<String> out = new ArrayList<>();
    ids.forEach(id -> out.add(Long.toHexString(id)));
    return String.join(", ", out);
  }
}

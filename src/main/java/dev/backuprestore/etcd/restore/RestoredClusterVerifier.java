package dev.backuprestore.etcd.restore;

import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.EtcdHealthCheck;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.client.EtcdCallException;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.etcd.client.EtcdHashKv;
import dev.backuprestore.etcd.client.EtcdMaintenance;
import dev.backuprestore.etcd.client.EtcdMember;
import dev.backuprestore.etcd.client.EtcdStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * After the restored members started: is this the cluster the snapshot recorded? Checks, each
 * reported pass or fail with the values seen:
 *
 * <ol>
 *   <li>health of every member ({@link EtcdHealthCheck}: status without errors, one leader, no
 *       alarm, a quorum read, equal KV hashes);
 *   <li>the member list is the expected one (names and peer URLs), every member started;
 *   <li>the revision of every member is the recorded one plus the bump. The snapshot side records
 *       the revision its KV hash was taken at, just before streaming; writes in between make the
 *       snapshot's own revision higher, which is reported but not a failure;
 *   <li>the KV hash at the recorded revision equals the recorded one on every member. After {@code
 *       --bump-revision} etcdutl rewrites the latest revision (and with {@code --mark-compacted}
 *       compacts everything before it), so then the hashes are compared between members only.
 * </ol>
 */
public final class RestoredClusterVerifier {
  private final EtcdConnector connector;

  public RestoredClusterVerifier(EtcdConnector connector) {
    this.connector = Objects.requireNonNull(connector, "connector");
  }

  /** One check's outcome. */
  public record Check(String name, boolean passed, String detail) {
    @Override
    public String toString() {
      return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
    }
  }

  /** Every check, in order. */
  public record Report(List<Check> checks) {
    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }
  }

  /**
   * @param endpoints client URLs of the restored members
   * @param expectedMembers the members the cluster must have (the restore's member list)
   * @param recorded the snapshot's state file
   * @param bumpRevision the {@code --bump-revision} the members were restored with (0 for none)
   */
  public Report verify(
      List<String> endpoints,
      List<MemberPlan.Member> expectedMembers,
      ClusterState.Etcd recorded,
      long bumpRevision) {
    List<Check> checks = new ArrayList<>();
    HealthReport health =
        new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG).check(endpoints);
    checks.add(new Check("health", health.healthy(), health.summary()));
    checks.add(members(health.members(), expectedMembers));
    if (health.members().isEmpty()) {
      return new Report(checks);
    }
    checks.add(revision(health, recorded, bumpRevision));
    checks.add(hashes(health.members(), recorded, bumpRevision));
    return new Report(checks);
  }

  private static Check members(List<EtcdMember> actual, List<MemberPlan.Member> expected) {
    Map<String, String> want = new TreeMap<>();
    expected.forEach(m -> want.put(m.name(), m.peerUrl()));
    Map<String, String> have = new TreeMap<>();
    for (EtcdMember member : actual) {
      have.put(
          member.displayName(),
          member.peerURLs().isEmpty() ? "(no peer URL)" : String.join(",", member.peerURLs()));
    }
    boolean started = actual.stream().noneMatch(m -> m.name() == null || m.name().isEmpty());
    boolean passed = started && want.equals(have);
    return new Check(
        "members",
        passed,
        passed
            ? have.size() + " members as expected: " + have
            : "expected "
                + want
                + ", the cluster has "
                + have
                + (started ? "" : " (a member was added but never started)"));
  }

  private Check revision(HealthReport health, ClusterState.Etcd recorded, long bump) {
    long expected = recorded.revision() + bump;
    List<String> seen = new ArrayList<>();
    boolean passed = true;
    long highest = 0;
    for (EtcdMember member : health.members()) {
      EtcdStatus status = health.statuses().get(member.id());
      if (status == null) {
        passed = false;
        seen.add(member.displayName() + "=(no status)");
        continue;
      }
      seen.add(member.displayName() + "=" + status.revision());
      highest = Math.max(highest, status.revision());
      if (status.revision() < expected) {
        passed = false;
      }
    }
    String detail =
        "expected "
            + expected
            + (bump > 0 ? " (" + recorded.revision() + " + bump " + bump + ")" : "")
            + ", members "
            + String.join(", ", seen);
    if (passed && highest > expected) {
      detail +=
          "; the snapshot holds "
              + (highest - expected)
              + " revision(s) written after the recorded KV hash (during the snapshot); not an"
              + " error";
    }
    return new Check("revision", passed, detail);
  }

  private Check hashes(List<EtcdMember> members, ClusterState.Etcd recorded, long bump) {
    List<String> seen = new ArrayList<>();
    boolean passed = true;
    Long first = null;
    long at = bump > 0 ? 0 : recorded.revision();
    for (EtcdMember member : members) {
      if (member.clientURLs().isEmpty()) {
        passed = false;
        seen.add(member.displayName() + "=(no client URL)");
        continue;
      }
      try (EtcdMaintenance etcd = connector.connect(member.clientURLs().get(0))) {
        EtcdHashKv hash = etcd.hashKv(at);
        seen.add(member.displayName() + "=" + hash.hash());
        if (bump > 0) {
          passed &= first == null || first == hash.hash();
          first = first == null ? hash.hash() : first;
        } else {
          passed &= hash.hash() == recorded.hashKV();
        }
      } catch (EtcdCallException e) {
        passed = false;
        seen.add(member.displayName() + "=(" + e.getMessage() + ")");
      }
    }
    String detail =
        bump > 0
            ? "equal on every member at the current revision (the bump rewrote the latest"
                + " revision, so the recorded "
                + recorded.hashKV()
                + " cannot be compared): "
                + String.join(", ", seen)
            : "recorded "
                + recorded.hashKV()
                + " at revision "
                + recorded.revision()
                + ", members "
                + String.join(", ", seen);
    return new Check("kv-hash", passed, detail);
  }
}

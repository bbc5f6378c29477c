package dev.backuprestore.etcd.restore;

import dev.backuprestore.etcd.ClusterState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One member's restore, in the order that keeps the old data directory safe: fetch, verify, plan
 * the membership, refuse while etcd runs, {@code etcdutl snapshot restore} into a fresh sibling
 * directory, and only then swap the directories. Every step before the swap works on new paths
 * only, so a failure or a kill leaves the data directory as it was, and a rerun starts over
 * (removing the previous run's {@code .restore-*} directory).
 */
public final class EtcdRestorer {
  private final SnapshotFetcher fetcher;
  private final SnapshotVerifier verifier;
  private final EtcdRunningCheck runningCheck;
  private final Etcdutl etcdutl;
  private final Clock clock;
  private final Consumer<String> progress;

  public EtcdRestorer(
      SnapshotFetcher fetcher,
      SnapshotVerifier verifier,
      EtcdRunningCheck runningCheck,
      Etcdutl etcdutl,
      Clock clock,
      Consumer<String> progress) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.runningCheck = Objects.requireNonNull(runningCheck, "runningCheck");
    this.etcdutl = etcdutl;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** What to verify: the snapshot and the checksums it must have. */
  public record Verification(
      SnapshotSource source,
      Path workDir,
      List<ExpectedChecksum> expected,
      boolean allowUnrecordedChecksum) {}

  /**
   * One member's restore.
   *
   * @param members given members (empty: the state file's)
   * @param clusterToken the new {@code --initial-cluster-token}, the same on every member; null
   *     derives it from the zip's sha256
   * @param owner owner of the restored data directory; null keeps the old one's
   */
  public record Request(
      Verification verification,
      Path dataDir,
      String memberName,
      List<MemberPlan.Member> members,
      boolean forceMembers,
      String clusterToken,
      long bumpRevision,
      boolean markCompacted,
      DataDirectories.Owner owner) {}

  /** The outcome: what was restored, from what, and where the old data went. */
  public record Result(
      SnapshotVerifier.Verified snapshot,
      MemberPlan members,
      Path dataDir,
      Path oldDataDir,
      List<Path> removedLeftovers,
      List<String> etcdutlCommand) {}

  /** Fetch and verify only (the prepare step; RKE's "download and check on every node"). */
  public SnapshotVerifier.Verified prepare(Verification verification) {
    progress.accept("fetching " + verification.source().describe());
    SnapshotFetcher.Fetched fetched = fetcher.fetch(verification.source(), verification.workDir());
    progress.accept("verifying " + fetched.zip());
    SnapshotVerifier.Verified verified =
        verifier.verify(
            fetched,
            verification.expected(),
            verification.allowUnrecordedChecksum(),
            verification.workDir());
    progress.accept(
        "verified "
            + verified.zip().getFileName()
            + ": sha256 "
            + verified.zipSha256()
            + (verified.matched().isEmpty()
                ? " (no recorded value to compare with)"
                : " = "
                    + String.join(
                        ", ",
                        verified.matched().stream().map(ExpectedChecksum::recordedIn).toList()))
            + "; etcd trailer ok ("
            + verified.trailer().size()
            + " bytes)");
    return verified;
  }

  public Result restore(Request request) {
    Objects.requireNonNull(etcdutl, "etcdutl is required to restore");
    SnapshotVerifier.Verified snapshot = prepare(request.verification());
    List<ClusterState.Member> recordedMembers =
        snapshot.state().map(ClusterState::etcd).map(ClusterState.Etcd::members).orElse(List.of());
    MemberPlan plan =
        MemberPlan.resolve(
            recordedMembers.stream()
                .filter(member -> member.peerURLs() != null && !member.peerURLs().isEmpty())
                .map(member -> new MemberPlan.Member(member.name(), member.peerURLs().get(0)))
                .toList(),
            request.members(),
            request.memberName(),
            request.forceMembers());
    progress.accept("members: " + plan.initialCluster());

    DataDirectories dirs = new DataDirectories(request.dataDir(), clock.instant());
    runningCheck.requireStopped(dirs.dataDir(), ownUrls(plan, recordedMembers));
    List<Path> leftovers = dirs.removeStaleRestores();
    leftovers.forEach(dir -> progress.accept("removed the leftover of an earlier run: " + dir));

    Etcdutl.RestoreArgs args =
        new Etcdutl.RestoreArgs(
            snapshot.db(),
            dirs.restoreDir(),
            plan.self().name(),
            plan.self().peerUrl(),
            plan.initialCluster(),
            clusterToken(request.clusterToken(), snapshot),
            request.bumpRevision(),
            request.markCompacted());
    List<String> command = etcdutl.restoreCommand(args);
    progress.accept("running " + String.join(" ", command));
    etcdutl.restore(args);

    // etcd could have been started while etcdutl ran: check again right before the swap.
    runningCheck.requireStopped(dirs.dataDir(), ownUrls(plan, recordedMembers));
    Path old = dirs.swapIn(dirs.restoreDir(), request.owner());
    progress.accept(
        "restored member "
            + plan.self().name()
            + " into "
            + dirs.dataDir()
            + (old == null ? "" : "; the previous data directory is now " + old));
    return new Result(snapshot, plan, dirs.dataDir(), old, leftovers, command);
  }

  /**
   * The given token, else one every node derives alike from the same snapshot bytes (all members
   * must restore with the same token, or they form clusters with different IDs).
   */
  static String clusterToken(String given, SnapshotVerifier.Verified snapshot) {
    if (given != null && !given.isBlank()) {
      return given.trim();
    }
    return "etcd-restore-" + snapshot.zipSha256().substring(0, 12);
  }

  /** This member's peer URL and, from the state file, its client URLs: what must be closed. */
  private static List<URI> ownUrls(MemberPlan plan, List<ClusterState.Member> recorded) {
    List<URI> urls = new ArrayList<>();
    urls.add(URI.create(plan.self().peerUrl()));
    for (ClusterState.Member member : recorded) {
      if (member.name().equals(plan.self().name()) && member.clientURLs() != null) {
        member.clientURLs().forEach(url -> urls.add(URI.create(url)));
      }
    }
    return urls;
  }
}

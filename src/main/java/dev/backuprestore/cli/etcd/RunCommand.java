package dev.backuprestore.cli.etcd;

import dev.backuprestore.etcd.restore.DataDirectories;
import dev.backuprestore.etcd.restore.EtcdRestorer;
import dev.backuprestore.etcd.restore.EtcdRunningCheck;
import dev.backuprestore.etcd.restore.Etcdutl;
import dev.backuprestore.etcd.restore.MemberPlan;
import dev.backuprestore.etcd.restore.SnapshotFetcher;
import dev.backuprestore.etcd.restore.SnapshotVerifier;
import dev.backuprestore.storage.BackupStore;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code etcd-restore run}: the restore of this node's member (etcd must be stopped). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Verify the snapshot, refuse while etcd runs on --data-dir, restore with etcdutl into a"
            + " fresh sibling directory, then swap it in (the old one is kept as"
            + " <data-dir>-old-<time>).")
final class RunCommand implements Callable<Integer> {
  @Mixin SnapshotOptions snapshot;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "MEMBER",
      description = "This member's name.")
  String name;

  @Option(
      names = "--data-dir",
      required = true,
      paramLabel = "DIR",
      description = "This member's etcd data directory, e.g. /var/lib/etcd.")
  Path dataDir;

  @Option(
      names = "--member",
      paramLabel = "NAME=PEER_URL",
      description =
          "Every member of the restored cluster (repeat); default: the members in the snapshot's"
              + " state file. Must match the state file unless --force-members.")
  List<String> members = new ArrayList<>();

  @Option(
      names = "--force-members",
      description = "Accept --member values that differ from the state file (moved hosts).")
  boolean forceMembers;

  @Option(
      names = "--initial-cluster-token",
      paramLabel = "TOKEN",
      description =
          "The new cluster token, the same on every member; default: etcd-restore-<first 12 hex"
              + " digits of the zip's sha256>, which every node derives alike.")
  String clusterToken;

  @Option(
      names = "--bump-revision",
      defaultValue = "0",
      paramLabel = "N",
      description = "Add N to the revision (e.g. 1000000000) so that clients never see it go back.")
  long bumpRevision;

  @Option(
      names = "--mark-compacted",
      description =
          "Mark the revisions before the bump compacted, so that watchers (informers) relist."
              + " Requires --bump-revision.")
  boolean markCompacted;

  @Option(
      names = "--etcdutl",
      paramLabel = "PATH",
      description =
          "etcdutl of the cluster's etcd minor version; default: $ETCDUTL, else etcdutl on the"
              + " PATH (the image has /usr/local/bin/etcdutl).")
  Path etcdutl;

  @Option(
      names = "--owner",
      paramLabel = "UID:GID",
      description =
          "Owner of the restored data directory; default: the old data directory's owner.")
  String owner;

  @Option(
      names = "--timeout",
      defaultValue = "PT30M",
      paramLabel = "DURATION",
      description = "Longest time etcdutl may take (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    if (markCompacted && bumpRevision <= 0) {
      throw new ParameterException(spec.commandLine(), "--mark-compacted requires --bump-revision");
    }
    List<MemberPlan.Member> given = new ArrayList<>();
    for (String member : members) {
      try {
        given.add(MemberPlan.Member.parse(member));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--member " + e.getMessage());
      }
    }
    DataDirectories.Owner ownerOf;
    try {
      ownerOf = owner == null ? null : DataDirectories.Owner.parse(owner);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--owner " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<BackupStore> stores = new ArrayList<>();
    try {
      EtcdRestorer restorer =
          new EtcdRestorer(
              new SnapshotFetcher(),
              new SnapshotVerifier(),
              new EtcdRunningCheck(),
              new Etcdutl(etcdutlBinary(), timeout),
              Clock.systemUTC(),
              line -> {
                err.println("etcd-restore: " + line);
                err.flush();
              });
      EtcdRestorer.Verification verification = snapshot.verification(stores);
      EtcdRestorer.Result result =
          restorer.restore(
              new EtcdRestorer.Request(
                  verification,
                  dataDir,
                  name,
                  given,
                  forceMembers,
                  clusterToken,
                  bumpRevision,
                  markCompacted,
                  ownerOf));
      out.println("snapshot:      " + result.snapshot().snapshotName());
      out.println(
          "sha256:        "
              + result.snapshot().zipSha256()
              + "  "
              + result.snapshot().zip().getFileName());
      out.println("member:        " + result.members().self());
      out.println("members:       " + result.members().initialCluster());
      out.println("data dir:      " + result.dataDir());
      out.println(
          "previous data: " + (result.oldDataDir() == null ? "(none)" : result.oldDataDir()));
      out.println(
          "next: run this on every member with the same snapshot, start etcd on all of them, then"
              + " `etcd-restore verify`");
      return 0;
    } finally {
      stores.forEach(BackupStore::close);
    }
  }

  private Path etcdutlBinary() {
    if (etcdutl != null) {
      return etcdutl;
    }
    String fromEnv = System.getenv("ETCDUTL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcdutl");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return Path.of("/usr/local/bin/etcdutl");
  }
}

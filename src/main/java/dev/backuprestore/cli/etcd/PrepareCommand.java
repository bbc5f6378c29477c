package dev.backuprestore.cli.etcd;

import dev.backuprestore.etcd.restore.EtcdRestorer;
import dev.backuprestore.etcd.restore.EtcdRunningCheck;
import dev.backuprestore.etcd.restore.SnapshotFetcher;
import dev.backuprestore.etcd.restore.SnapshotVerifier;
import dev.backuprestore.storage.BackupStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code etcd-restore prepare}: fetch and verify only, while the cluster still runs. Prints {@code
 * <sha256> <name>.zip} on standard output (sha256sum format) so that the values of all nodes can be
 * compared before anything is stopped (RKE's "same snapshot on every node" step).
 */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description =
        "Fetch the snapshot zip into --work-dir and verify it (recorded sha256, entry names,"
            + " manifest, etcd trailer); print its sha256. Touches no etcd data.")
final class PrepareCommand implements Callable<Integer> {
  @Mixin SnapshotOptions snapshot;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<BackupStore> stores = new ArrayList<>();
    try {
      EtcdRestorer restorer =
          new EtcdRestorer(
              new SnapshotFetcher(),
              new SnapshotVerifier(),
              new EtcdRunningCheck(),
              null,
              Clock.systemUTC(),
              line -> spec.commandLine().getErr().println("etcd-restore: " + line));
      SnapshotVerifier.Verified verified = restorer.prepare(snapshot.verification(stores));
      spec.commandLine()
          .getOut()
          .println(verified.zipSha256() + "  " + verified.zip().getFileName());
      spec.commandLine().getOut().println("# etcd snapshot: " + verified.db());
      return 0;
    } finally {
      stores.forEach(BackupStore::close);
    }
  }
}

package dev.backuprestore.cli.etcd;

import dev.backuprestore.etcd.restore.EtcdRestoreException;
import dev.backuprestore.etcd.restore.EtcdRestorer;
import dev.backuprestore.etcd.restore.EtcdRunningCheck;
import dev.backuprestore.etcd.restore.PrepareResult;
import dev.backuprestore.etcd.restore.SnapshotFetcher;
import dev.backuprestore.etcd.restore.SnapshotVerifier;
import dev.backuprestore.storage.BackupStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code etcd-restore prepare}: fetch and verify only, while the cluster still runs. Prints {@code
 * <sha256> <name>.zip} on standard output (sha256sum format) so that the values of all nodes can be
 * compared before anything is stopped (RKE's "same snapshot on every node" step). With {@code
 * --result-file} (an EtcdRestore's Jobs: the pod's termination message) it also writes the outcome
 * as a {@link PrepareResult} JSON, on success and on failure.
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

  @Option(
      names = "--result-file",
      paramLabel = "FILE",
      description =
          "Also write the outcome as JSON (node, snapshotName, sha256 or reason and error) to FILE,"
              + " e.g. /dev/termination-log.")
  Path resultFile;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description =
          "The node name reported in --result-file; default: $NODE_NAME or the host name.")
  String node;

  @Override
  public Integer call() {
    try {
      SnapshotVerifier.Verified verified = prepare();
      writeResult(
          PrepareResult.verified(nodeName(), verified.snapshotName(), verified.zipSha256()));
      return 0;
    } catch (EtcdRestoreException e) {
      writeResult(PrepareResult.failed(nodeName(), e.step().name(), e.getMessage()));
      throw e;
    } catch (RuntimeException e) {
      String reason = e instanceof picocli.CommandLine.ParameterException ? "USAGE" : "FAILED";
      writeResult(PrepareResult.failed(nodeName(), reason, String.valueOf(e.getMessage())));
      throw e;
    }
  }

  private SnapshotVerifier.Verified prepare() {
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
      return verified;
    } finally {
      stores.forEach(BackupStore::close);
    }
  }

  private String nodeName() {
    if (node != null && !node.isBlank()) {
      return node;
    }
    String env = System.getenv("NODE_NAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private void writeResult(PrepareResult result) {
    if (resultFile == null) {
      return;
    }
    try {
      Files.writeString(resultFile, result.toJson() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println(
              "etcd-restore: cannot write --result-file " + resultFile + ": " + e.getMessage());
    }
  }
}

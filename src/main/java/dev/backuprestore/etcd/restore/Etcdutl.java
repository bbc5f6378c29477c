package dev.backuprestore.etcd.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs etcd's own offline restore, {@code etcdutl snapshot restore}: it checks the snapshot's
 * sha256 trailer again, rewrites membership, cluster ID, WAL and consistent index, and optionally
 * bumps the revision. The binary must be of the cluster's etcd minor version (the image ships
 * 3.6.x, built from the Go module proxy).
 */
public final class Etcdutl {
  private static final int KEPT_OUTPUT_LINES = 20;

  private final Path binary;
  private final Duration timeout;

  public Etcdutl(Path binary, Duration timeout) {
    this.binary = Objects.requireNonNull(binary, "binary");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public Path binary() {
    return binary;
  }

  /** What one member's restore needs. */
  public record RestoreArgs(
      Path snapshotDb,
      Path targetDir,
      String memberName,
      String peerUrl,
      String initialCluster,
      String clusterToken,
      long bumpRevision,
      boolean markCompacted) {}

  /** The command line, for the dry-run report and the logs (it holds no secrets). */
  public List<String> restoreCommand(RestoreArgs args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("snapshot");
    command.add("restore");
    command.add(args.snapshotDb().toString());
    command.add("--data-dir=" + args.targetDir());
    command.add("--name=" + args.memberName());
    command.add("--initial-cluster=" + args.initialCluster());
    command.add("--initial-cluster-token=" + args.clusterToken());
    command.add("--initial-advertise-peer-urls=" + args.peerUrl());
    if (args.bumpRevision() > 0) {
      command.add("--bump-revision=" + args.bumpRevision());
    }
    if (args.markCompacted()) {
      command.add("--mark-compacted");
    }
    return command;
  }

  /**
   * Runs the restore into {@code args.targetDir()}, which must not exist yet.
   *
   * @throws EtcdRestoreException with etcdutl's last output lines when it fails or times out
   */
  public void restore(RestoreArgs args) {
    run(restoreCommand(args), "etcdutl snapshot restore of " + args.snapshotDb());
  }

  /** {@code etcdutl version}'s first line, e.g. {@code etcdutl version: 3.6.6}. */
  public String version() {
    List<String> output = run(List.of(binary.toString(), "version"), "etcdutl version");
    return output.isEmpty() ? "" : output.get(0);
  }

  private List<String> run(List<String> command, String what) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.RESTORE,
          "cannot run "
              + binary
              + " ("
              + e.getMessage()
              + "); pass --etcdutl with the path of an etcdutl of the cluster's etcd version",
          e);
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> keepTail(process.getInputStream(), tail), "etcdutl-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new EtcdRestoreException(
            EtcdRestoreException.Step.RESTORE, what + " did not finish within " + timeout);
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new EtcdRestoreException(EtcdRestoreException.Step.RESTORE, what + " interrupted", e);
    }
    List<String> output;
    synchronized (tail) {
      output = List.copyOf(tail);
    }
    if (process.exitValue() != 0) {
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.RESTORE,
          what + " failed (exit code " + process.exitValue() + "): " + String.join(" | ", output));
    }
    return output;
  }

  private static void keepTail(InputStream output, Deque<String> tail) {
    try (var lines =
        new java.io.BufferedReader(new java.io.InputStreamReader(output, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > KEPT_OUTPUT_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The process ended; what was read is kept.
    }
  }
}

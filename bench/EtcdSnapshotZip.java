import dev.backuprestore.etcd.EtcdHealthCheck;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.MemberSnapshotter;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.etcd.SnapshotRequest;
import dev.backuprestore.etcd.client.EtcdConnector;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Takes a snapshot zip of a plain-HTTP etcd member the way the node agent does (health check, then
 * stream, trailer check, state file, sidecar). Run with the operator jar on the class path:
 *   java -cp target/backup-restore-operator.jar:target/lib/* bench/EtcdSnapshotZip.java URL NAME DIR
 */
public final class EtcdSnapshotZip {
  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    EtcdConnector connector = EtcdConnector.plain();
    HealthReport health =
        new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG).check(List.of(endpoint));
    if (!health.healthy()) {
      throw new IllegalStateException(health.summary());
    }
    long started = System.nanoTime();
    SnapshotOutcome outcome =
        new MemberSnapshotter(connector, Clock.systemUTC(), "bench")
            .snapshot(
                new SnapshotRequest(
                    args[1], endpoint, "bench", new SnapshotDirectory(Path.of(args[2])), true, null, 0, 0, null, null),
                health);
    System.out.printf(
        "snapshot %s: db %d bytes, zip %d bytes, revision %d, %.1f s%n",
        args[1], outcome.dbSize(), outcome.size(), outcome.revision(), (System.nanoTime() - started) / 1e9);
  }
}

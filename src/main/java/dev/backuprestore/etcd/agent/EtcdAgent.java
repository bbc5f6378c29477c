package dev.backuprestore.etcd.agent;

import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.EtcdHealthCheck;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.MemberSnapshotter;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.etcd.SnapshotRequest;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.etcd.client.EtcdTls;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.storage.S3Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent ({@code etcd-agent} mode): runs in a Job pinned to one etcd node, with host
 * network, the node's etcd client certificates and {@code /opt/rke/etcd-snapshots} mounted from the
 * host, and no service account token. It checks the cluster's health (retrying like RKE: 4 times,
 * 15 s apart; sleeping is fine here, this is not a reconcile thread), snapshots the node's own
 * member into the directory, uploads when it is the designated uploader, applies retention and
 * reports a {@link SnapshotOutcome} as JSON on stdout and in the termination message.
 */
public final class EtcdAgent {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdAgent.class);

  /** Waits between health attempts; tests pass one that does not sleep. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final AgentConfig config;
  private final Sleeper sleeper;
  private final Clock clock;
  private final String operatorVersion;

  public EtcdAgent(AgentConfig config, Sleeper sleeper, Clock clock, String operatorVersion) {
    this.config = config;
    this.sleeper = sleeper;
    this.clock = clock;
    this.operatorVersion = operatorVersion;
  }

  /** Runs once; never throws: a failure is an outcome with a reason and an error. */
  public SnapshotOutcome run() {
    String name = config.snapshotName();
    try {
      EtcdTls tls =
          config.caFile() == null
              ? null
              : EtcdTls.fromFiles(config.caFile(), config.certFile(), config.keyFile());
      EtcdConnector connector =
          new EtcdConnector(tls, Duration.ofSeconds(30), EtcdConnector.SnapshotTransport.AUTO);
      HealthReport health = checkWithRetries(connector);
      if (!health.healthy()) {
        return SnapshotOutcome.failure(
            name,
            config.nodeName(),
            "",
            health.firstReason(),
            "etcd unhealthy: " + health.summary());
      }
      SnapshotRequest request =
          new SnapshotRequest(
              name,
              config.endpoint(),
              config.nodeName(),
              new SnapshotDirectory(config.directory()),
              true,
              config.upload() == null ? null : new S3Store(config.upload()),
              config.localRetention(),
              config.s3Retention(),
              config.kubernetesVersion().isEmpty() && config.distribution().isEmpty()
                  ? null
                  : new ClusterState.Kubernetes(
                      emptyToNull(config.kubernetesVersion()),
                      emptyToNull(config.distribution()),
                      null),
              Map.of());
      try {
        return new MemberSnapshotter(connector, clock, operatorVersion, config.compress())
            .snapshot(request, health);
      } finally {
        if (request.upload() != null) {
          request.upload().close();
        }
      }
    } catch (OperatorException e) {
      return SnapshotOutcome.failure(name, config.nodeName(), "", reason(e), e.getMessage());
    } catch (IOException e) {
      return SnapshotOutcome.failure(
          name,
          config.nodeName(),
          "",
          "LocalWriteFailed",
          "writing " + config.directory() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SnapshotOutcome.failure(name, config.nodeName(), "", "Interrupted", "interrupted");
    } catch (RuntimeException e) {
      return SnapshotOutcome.failure(
          name,
          config.nodeName(),
          "",
          "AgentFailed",
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private HealthReport checkWithRetries(EtcdConnector connector) throws InterruptedException {
    EtcdHealthCheck check = new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG);
    HealthReport report = check.check(config.healthEndpoints());
    for (int attempt = 1; attempt <= config.healthRetries() && !report.healthy(); attempt++) {
      LOG.warn(
          "etcd health check failed (attempt {} of {}): {}",
          attempt,
          config.healthRetries() + 1,
          report.summary());
      sleeper.sleep(config.healthRetryInterval());
      report = check.check(config.healthEndpoints());
    }
    report.warnings().forEach(w -> LOG.warn("{}", w));
    return report;
  }

  private static String reason(OperatorException e) {
    String type = e.getClass().getSimpleName();
    return switch (type) {
      case "EtcdCallException" -> "EtcdUnreachable";
      case "EtcdSnapshotFormatException" -> "SnapshotCorrupt";
      case "StorageException" -> "S3Failed";
      default -> "SnapshotFailed";
    };
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /** {@code etcd-agent} mode: exit 0 on success, 1 on failure, 2 on bad configuration. */
  public static int main(Map<String, String> env, String[] args, String operatorVersion) {
    AgentConfig config;
    try {
      config = AgentConfig.from(env, args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    SnapshotOutcome outcome =
        new EtcdAgent(config, d -> Thread.sleep(d.toMillis()), Clock.systemUTC(), operatorVersion)
            .run();
    String json = outcome.toJson();
    System.out.println(json);
    try {
      if (Files.isWritable(config.terminationMessagePath())) {
        Files.writeString(config.terminationMessagePath(), json, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      System.err.println("cannot write " + config.terminationMessagePath() + ": " + e);
    }
    return outcome.succeeded() ? 0 : 1;
  }
}

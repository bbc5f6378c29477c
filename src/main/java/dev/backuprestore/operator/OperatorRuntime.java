package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator together and owns what has to be stopped: the SDK, metrics, the client. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
  static final int METRICS_PORT = 8080;

  /** How often the info and count gauges are rebuilt from the custom resources, as in Rancher. */
  static final Duration METRICS_REFRESH = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final Operator operator;
  private final HTTPServer metricsServer;
  private final ScheduledExecutorService metricsRefresh;

  private OperatorRuntime(
      KubernetesClient client,
      Operator operator,
      HTTPServer metricsServer,
      ScheduledExecutorService metricsRefresh) {
    this.client = client;
    this.operator = operator;
    this.metricsServer = metricsServer;
    this.metricsRefresh = metricsRefresh;
  }

  public static OperatorRuntime start(OperatorConfig config, KubernetesClient client) {
    return start(config, client, METRICS_PORT);
  }

  /** Starts the operator; {@code metricsPort} 0 picks a free port (tests). */
  public static OperatorRuntime start(
      OperatorConfig config, KubernetesClient client, int metricsPort) {
    return start(config, client, metricsPort, METRICS_REFRESH);
  }

  /**
   * Starts the operator with another interval between metrics refreshes (tests, which cannot wait
   * for Rancher's 60 s).
   */
  public static OperatorRuntime start(
      OperatorConfig config, KubernetesClient client, int metricsPort, Duration metricsRefresh) {
    Clock clock = Clock.systemUTC();
    LOG.info("backup-restore-operator {} starting: {}", Version.current(), config.describe());
    String clusterId = clusterId(client);

    PrometheusRegistry registry = new PrometheusRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry, config.backupDurationBuckets(), clock);
    StatusWriter statusWriter = new StatusWriter(client);
    EventRecorder events = new EventRecorder(client, clock);
    RestoreLease lease = new RestoreLease(client, config.chartNamespace(), clock);
    lease.clearAtStartup();

    Wiring wiring = new Wiring(client, config, clusterId);
    // Transient failures retry with capped exponential backoff, without limit like Rancher;
    // permanent ones never reach the retry (updateErrorStatus answers withNoRetry()).
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(2_000)
            .setIntervalMultiplier(2)
            .setMaxInterval(300_000)
            .withoutMaxAttempts();
    Operator operator =
        new Operator(
            overrider ->
                overrider
                    .withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(4)
                    .withStopOnInformerErrorDuringStartup(true));
    operator.register(
        new BackupReconciler(client, wiring.backupExecutor(), statusWriter, events, metrics, clock),
        overrider -> overrider.withRetry(retry));
    operator.register(
        new RestoreReconciler(client, wiring.restoreExecutor(), lease, statusWriter, events, clock),
        overrider -> overrider.withRetry(retry));
    if (dev.backuprestore.operator.etcd.EtcdSnapshotWiring.enabled(System.getenv())) {
      operator.register(
          dev.backuprestore.operator.etcd.EtcdSnapshotWiring.reconciler(
              client,
              System.getenv(),
              config.chartNamespace(),
              config.devMode(),
              statusWriter,
              events,
              registry,
              clock,
              Version.current()),
          overrider -> overrider.withRetry(retry));
      operator.register(
          dev.backuprestore.operator.etcd.EtcdRestoreWiring.reconciler(
              client,
              System.getenv(),
              config.chartNamespace(),
              config.devMode(),
              statusWriter,
              events,
              clock),
          overrider -> overrider.withRetry(retry));
    }
    operator.start();

    HTTPServer server = null;
    ScheduledExecutorService refresh = null;
    if (config.metricsEnabled()) {
      JvmMetrics.builder().register(registry);
      server = startMetricsServer(registry, metricsPort);
      refresh = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "metrics-refresh"));
      refresh.scheduleWithFixedDelay(
          () -> refreshMetrics(client, metrics),
          0,
          metricsRefresh.toMillis(),
          TimeUnit.MILLISECONDS);
      LOG.info("metrics served on :{}/metrics", server.getPort());
    }
    LOG.info("operator started; cluster id {}", clusterId);
    return new OperatorRuntime(client, operator, server, refresh);
  }

  /** The kube-system Namespace UID names the cluster in archive file names (contract §2.1). */
  static String clusterId(KubernetesClient client) {
    Namespace kubeSystem = client.namespaces().withName("kube-system").get();
    if (kubeSystem == null) {
      throw new OperatorException(
          "the kube-system Namespace was not found; its UID identifies the cluster", true);
    }
    return kubeSystem.getMetadata().getUid();
  }

  private static HTTPServer startMetricsServer(PrometheusRegistry registry, int port) {
    try {
      return HTTPServer.builder().port(port).registry(registry).buildAndStart();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
  }

  private static void refreshMetrics(KubernetesClient client, OperatorMetrics metrics) {
    try {
      metrics.refresh(
          client.resources(Backup.class).list().getItems(),
          client.resources(Restore.class).list().getItems());
    } catch (RuntimeException e) {
      LOG.warn("could not refresh metrics: {}", Failures.message(e));
    }
  }

  /** The port metrics are served on, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.getPort();
  }

  @Override
  public void close() {
    LOG.info("stopping");
    operator.stop();
    if (metricsRefresh != null) {
      metricsRefresh.shutdownNow();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    client.close();
  }
}

package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator together and owns what has to be stopped: the SDK, metrics, the client. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

  /** How often the info and count gauges are rebuilt from the custom resources, as in Rancher. */
  static final Duration METRICS_REFRESH = Duration.ofSeconds(60);

  /**
   * How long a stop (SIGTERM: helm upgrade, node drain) waits for running backups and restores to
   * finish. The chart's terminationGracePeriodSeconds (150) leaves 30 s on top. A 100,000-object
   * backup takes 13 to 40 s here (docs/benchmarks.md); a restore that does not finish in time is
   * interrupted and finished by the next leader (docs/controller-lifecycle.md).
   */
  public static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(120);

  /** Leader election timings: a new leader within about 15 s of a crash. */
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final Operator operator;
  private final HTTPServer metricsServer;
  private final ScheduledExecutorService metricsRefresh;
  private final HealthEndpoints health;
  private final AtomicBoolean stopping;
  private final LeaderLease leaderLease;

  private OperatorRuntime(
      KubernetesClient client,
      Operator operator,
      HTTPServer metricsServer,
      ScheduledExecutorService metricsRefresh,
      HealthEndpoints health,
      AtomicBoolean stopping,
      LeaderLease leaderLease) {
    this.client = client;
    this.operator = operator;
    this.metricsServer = metricsServer;
    this.metricsRefresh = metricsRefresh;
    this.health = health;
    this.stopping = stopping;
    this.leaderLease = leaderLease;
  }

  /** Starts the operator with the ports of its configuration (Main). */
  public static OperatorRuntime start(OperatorConfig config, KubernetesClient client) {
    return start(config, client, config.metricsPort(), config.healthPort(), METRICS_REFRESH);
  }

  /** Starts the operator; {@code metricsPort} 0 picks free ports for metrics and health (tests). */
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
    return start(
        config, client, metricsPort, metricsPort == 0 ? 0 : config.healthPort(), metricsRefresh);
  }

  private static OperatorRuntime start(
      OperatorConfig config,
      KubernetesClient client,
      int metricsPort,
      int healthPort,
      Duration metricsRefresh) {
    Clock clock = Clock.systemUTC();
    LOG.info("backup-restore-operator {} starting: {}", Version.current(), config.describe());
    String clusterId = clusterId(client);

    PrometheusRegistry registry = new PrometheusRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry, config.backupDurationBuckets(), clock);
    StatusWriter statusWriter = new StatusWriter(client);
    EventRecorder events = new EventRecorder(client, clock);
    // The restore Lease is not cleared here: a holder that is gone or finished is taken over by
    // the next restore (RestoreLease), and only the leader runs restores.
    RestoreLease lease = new RestoreLease(client, config.chartNamespace(), clock);
    StartupSweep.temporaryFiles();
    AtomicBoolean leading = new AtomicBoolean(!config.leaderElection());
    AtomicBoolean stopping = new AtomicBoolean(false);

    Wiring wiring = new Wiring(client, config, clusterId, events);
    WatchedInputs inputs = new WatchedInputs(config.chartNamespace(), config.defaultS3SecretName());
    // Transient failures retry with capped exponential backoff, without limit like Rancher;
    // failures that need the user never reach the retry (updateErrorStatus answers withNoRetry()).
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(2_000)
            .setIntervalMultiplier(2)
            .setMaxInterval(300_000)
            .withoutMaxAttempts();
    Operator operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(4)
                  .withReconciliationTerminationTimeout(TERMINATION_TIMEOUT)
                  .withStopOnInformerErrorDuringStartup(true);
              if (config.leaderElection()) {
                overrider.withLeaderElectionConfiguration(
                    leaderElection(config, leading, stopping));
              }
            });
    operator.register(
        new BackupReconciler(
            client, wiring.backupExecutor(), statusWriter, events, metrics, clock, inputs),
        overrider -> overrider.withRetry(retry));
    // A finished Restore must never run again on its own: no periodic re-reconcile (the SDK's
    // default is every 10 hours). A waiting one is rescheduled explicitly.
    operator.register(
        new RestoreReconciler(
            client, wiring.restoreExecutor(), lease, statusWriter, events, clock, inputs),
        overrider -> overrider.withRetry(retry).withReconciliationMaxInterval(null));
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
    // Anything partial older than this was left by an earlier process.
    Instant beforeStart = clock.instant();
    operator.start();
    if (!config.leaderElection()) {
      StartupSweep.partialUploads(config, beforeStart);
    }
    HealthEndpoints health =
        healthPort < 0
            ? null
            : HealthEndpoints.start(healthPort, operator.getRuntimeInfo(), () -> !leading.get());
    if (health != null) {
      LOG.info("health probes served on :{}/healthz and /readyz", health.port());
    }

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
    LeaderLease leaderLease =
        config.leaderElection()
            ? new LeaderLease(
                client, config.chartNamespace(), OperatorConfig.LEADER_LEASE, config.identity())
            : null;
    return new OperatorRuntime(client, operator, server, refresh, health, stopping, leaderLease);
  }

  /**
   * java-operator-sdk's Lease-based election: the controllers start only in the leader. A replica
   * that loses the Lease while it is not stopping halts at once (and is restarted as a standby):
   * another replica may already lead, so it must not finish its work nor wait for it (the SDK's own
   * exit would run the shutdown hook, which waits up to {@link #TERMINATION_TIMEOUT}; called from
   * that hook during a normal stop, it would even block the exit forever). Work it leaves is
   * finished by the new leader.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorConfig config, AtomicBoolean leading, AtomicBoolean stopping) {
    return new LeaderElectionConfiguration(
        OperatorConfig.LEADER_LEASE,
        config.chartNamespace(),
        LEASE_DURATION,
        RENEW_DEADLINE,
        RETRY_PERIOD,
        config.identity(),
        new LeaderCallbacks(
            () -> {
              LOG.info("became the leader ({})", config.identity());
              leading.set(true);
              StartupSweep.partialUploads(config, Instant.now());
            },
            () -> {
              leading.set(false);
              if (!stopping.get()) {
                LOG.error("lost the leader Lease: halting, another replica takes over");
                Runtime.getRuntime().halt(1);
              }
            },
            leader -> LOG.info("the leader is {}", leader)),
        false);
  }

  /**
   * The kube-system Namespace UID names the cluster in archive file names
   * (docs/rancher-compat.md#backup-lifecycle).
   */
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

  /** The port health probes are served on, or -1 when they are off. */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  /** The port metrics are served on, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.getPort();
  }

  @Override
  public void close() {
    stopping.set(true);
    LOG.info(
        "stopping: waiting up to {} s for running backups and restores",
        TERMINATION_TIMEOUT.toSeconds());
    long stopStart = System.nanoTime();
    // The SDK's stop shuts down the executors the elector renews through: we renew meanwhile.
    AutoCloseable renewing =
        leaderLease == null
            ? () -> {}
            : leaderLease.keepRenewing(LEASE_DURATION, LEASE_DURATION.dividedBy(3));
    try {
      operator.stop();
    } finally {
      closeQuietly(renewing);
    }
    Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStart);
    if (leaderLease != null) {
      // Work that ran past the timeout was interrupted and may still be unwinding: then the
      // Lease is left to expire (15 s) rather than handed over while this process may write.
      if (stopTook.compareTo(TERMINATION_TIMEOUT) < 0) {
        leaderLease.releaseIfHeld();
      } else {
        LOG.info("leaving the leader Lease to expire: running work was interrupted");
      }
    }
    LOG.info("stopped in {} ms", stopTook.toMillis());
    if (health != null) {
      health.close();
    }
    if (metricsRefresh != null) {
      metricsRefresh.shutdownNow();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    client.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("could not stop renewing the leader Lease: {}", Failures.message(e));
    }
  }
}

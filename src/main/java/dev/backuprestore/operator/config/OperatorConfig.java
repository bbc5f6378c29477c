package dev.backuprestore.operator.config;

import dev.backuprestore.config.StorageDefaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's settings, read from the environment and the command line exactly like Rancher
 * Backups (docs/rancher-compat.md#settings): the same variable names, the same meaning of
 * "non-empty", the same refusal of a PVC and a default S3 location together.
 *
 * @param chartNamespace namespace of the encryption and S3 Secrets and of the restore Lease
 * @param defaultPersistenceEnabled the default location is the PV mounted at {@link
 *     #DEFAULT_BACKUP_MOUNT}
 * @param defaultS3SecretName name of the Secret holding the default S3 location, or empty
 * @param metricsEnabled serve Prometheus metrics on :8080/metrics
 * @param backupDurationBuckets bucket bounds of rancher_backup_duration_seconds
 * @param devMode S3 over plain HTTP, and {@code ./backups} as the default location without a PV
 * @param kubeconfig kubeconfig file, or null for the in-cluster or default configuration
 * @param logLevel "info", "debug" or "trace"
 * @param printVersion print the version and exit
 * @param devDirectory the dev-mode default directory, {@code ./backups} of the working directory
 * @param restoreWorkers how many objects a restore applies at the same time ({@code
 *     RESTORE_WORKERS}, 1 to {@value #MAX_RESTORE_WORKERS}; default {@value
 *     #DEFAULT_RESTORE_WORKERS}). An addition of ours: with the apiserver a network hop away, more
 *     workers hide more round trips.
 * @param leaderElection take the Lease {@value #LEADER_LEASE} before reconciling (LEADER_ELECTION,
 *     on in the chart), so that several replicas can run and only one works
 * @param metricsPort port of the metrics server (METRICS_PORT, default 8080; 0 picks a free one)
 * @param healthPort port of the liveness/readiness endpoints (HEALTH_PROBE_PORT, default 8081; 0
 *     picks a free one; -1 turns them off)
 * @param identity this replica's name in the leader Lease (POD_NAME, else the host name)
 */
public record OperatorConfig(
    String chartNamespace,
    boolean defaultPersistenceEnabled,
    String defaultS3SecretName,
    boolean metricsEnabled,
    List<Double> backupDurationBuckets,
    boolean devMode,
    Path kubeconfig,
    String logLevel,
    boolean printVersion,
    Path devDirectory,
    int restoreWorkers,
    boolean leaderElection,
    int metricsPort,
    int healthPort,
    String identity) {

  /** The restore engine's default pool (RestoreJob.DEFAULT_WORKERS). */
  public static final int DEFAULT_RESTORE_WORKERS = 8;

  public static final int MAX_RESTORE_WORKERS = 64;

  /** The Lease that elects the active replica, in the operator namespace. */
  public static final String LEADER_LEASE =
      dev.backuprestore.config.OperatorProtectedObjects.LEADER_LEASE;

  public static final int DEFAULT_METRICS_PORT = 8080;
  public static final int DEFAULT_HEALTH_PORT = 8081;

  /** Without leader election, with the default ports (one replica, tests). */
  public OperatorConfig(
      String chartNamespace,
      boolean defaultPersistenceEnabled,
      String defaultS3SecretName,
      boolean metricsEnabled,
      List<Double> backupDurationBuckets,
      boolean devMode,
      Path kubeconfig,
      String logLevel,
      boolean printVersion,
      Path devDirectory) {
    this(
        chartNamespace,
        defaultPersistenceEnabled,
        defaultS3SecretName,
        metricsEnabled,
        backupDurationBuckets,
        devMode,
        kubeconfig,
        logLevel,
        printVersion,
        devDirectory,
        DEFAULT_RESTORE_WORKERS,
        false,
        DEFAULT_METRICS_PORT,
        DEFAULT_HEALTH_PORT,
        "");
  }

  /** The same settings with other ports (tests pick free ones). */
  public OperatorConfig withPorts(int metrics, int health) {
    return new OperatorConfig(
        chartNamespace,
        defaultPersistenceEnabled,
        defaultS3SecretName,
        metricsEnabled,
        backupDurationBuckets,
        devMode,
        kubeconfig,
        logLevel,
        printVersion,
        devDirectory,
        restoreWorkers,
        leaderElection,
        metrics,
        health,
        identity);
  }

  /** Where the chart mounts the backup PVC. */
  public static final Path DEFAULT_BACKUP_MOUNT = Path.of("/var/lib/backups");

  /** Rancher's default histogram buckets for rancher_backup_duration_seconds. */
  public static final List<Double> DEFAULT_DURATION_BUCKETS =
      List.of(0.5, 1.0, 2.5, 5.0, 7.5, 10.0, 30.0, 60.0, 120.0);

  private static final String USAGE =
      "usage: backup-restore-operator [--kubeconfig FILE] [--debug] [--trace] [--version]";

  /** Reads the configuration; throws {@link ConfigurationException} with a one-line message. */
  public static OperatorConfig from(Map<String, String> env, String[] args) {
    Path kubeconfig = null;
    String logLevel = "info";
    boolean printVersion = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--version") || arg.equals("-version")) {
        printVersion = true;
      } else if (arg.equals("--debug") || arg.equals("-debug")) {
        logLevel = logLevel.equals("trace") ? logLevel : "debug";
      } else if (arg.equals("--trace") || arg.equals("-trace")) {
        logLevel = "trace";
      } else if (arg.equals("--kubeconfig") || arg.equals("-kubeconfig")) {
        if (i + 1 >= args.length) {
          throw new ConfigurationException("--kubeconfig needs a file name; " + USAGE);
        }
        kubeconfig = Path.of(args[++i]);
      } else if (arg.startsWith("--kubeconfig=")) {
        kubeconfig = Path.of(arg.substring("--kubeconfig=".length()));
      } else {
        throw new ConfigurationException("unknown argument " + arg + "; " + USAGE);
      }
    }
    if (kubeconfig == null && !isBlank(env.get("KUBECONFIG"))) {
      kubeconfig = Path.of(env.get("KUBECONFIG").split(":")[0]);
    }

    String chartNamespace = value(env, "CHART_NAMESPACE");
    boolean persistence = !value(env, "DEFAULT_PERSISTENCE_ENABLED").isEmpty();
    String s3Secret = value(env, "DEFAULT_S3_BACKUP_STORAGE_LOCATION");
    if (!printVersion) {
      if (chartNamespace.isEmpty()) {
        throw new ConfigurationException(
            "CHART_NAMESPACE is not set: it names the namespace of the operator's Secrets and Lease");
      }
      if (persistence && !s3Secret.isEmpty()) {
        throw new ConfigurationException(
            "cannot configure PVC and S3 both (DEFAULT_PERSISTENCE_ENABLED and"
                + " DEFAULT_S3_BACKUP_STORAGE_LOCATION); specify S3 in each Backup instead");
      }
    }
    return new OperatorConfig(
        chartNamespace,
        persistence,
        s3Secret,
        !value(env, "METRICS_SERVER").isEmpty(),
        parseBuckets(value(env, "BACKUP_DURATION_BUCKETS")),
        !value(env, "CATTLE_DEV_MODE").isEmpty(),
        kubeconfig,
        logLevel,
        printVersion,
        Path.of("backups").toAbsolutePath(),
        parseWorkers(value(env, "RESTORE_WORKERS")),
        isTrue(value(env, "LEADER_ELECTION")),
        port(env, "METRICS_PORT", DEFAULT_METRICS_PORT),
        port(env, "HEALTH_PROBE_PORT", DEFAULT_HEALTH_PORT),
        identity(env));
  }

  static int parseWorkers(String text) {
    if (text.isEmpty()) {
      return DEFAULT_RESTORE_WORKERS;
    }
    try {
      int workers = Integer.parseInt(text);
      if (workers >= 1 && workers <= MAX_RESTORE_WORKERS) {
        return workers;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(
        "RESTORE_WORKERS must be a whole number from 1 to "
            + MAX_RESTORE_WORKERS
            + ", not '"
            + text
            + "'");
  }

  private static boolean isTrue(String text) {
    return text.equalsIgnoreCase("true") || text.equals("1") || text.equalsIgnoreCase("yes");
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String text = value(env, name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(text);
      if (port < -1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(name + " must be a port number (0 for any), not " + text);
    }
  }

  /** POD_NAME (the chart sets it from the downward API), else the host name. */
  private static String identity(Map<String, String> env) {
    String pod = value(env, "POD_NAME");
    if (!pod.isEmpty()) {
      return pod;
    }
    String host = value(env, "HOSTNAME");
    return host.isEmpty() ? "backup-restore-operator" : host;
  }

  /** The default local directory: the PV, or {@code ./backups} in dev mode without a PV. */
  public Optional<Path> defaultLocalDirectory() {
    if (devMode && !defaultPersistenceEnabled) {
      return Optional.of(devDirectory);
    }
    return defaultPersistenceEnabled ? Optional.of(DEFAULT_BACKUP_MOUNT) : Optional.empty();
  }

  /** The storage settings shared with the CLI (package config). */
  public StorageDefaults storageDefaults() {
    return new StorageDefaults(
        chartNamespace, defaultS3SecretName, defaultLocalDirectory(), !devMode);
  }

  /** Comma-separated floats; anything invalid falls back to Rancher's defaults, as Rancher does. */
  static List<Double> parseBuckets(String text) {
    if (text.isEmpty()) {
      return DEFAULT_DURATION_BUCKETS;
    }
    List<Double> buckets = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        double bound = Double.parseDouble(part.trim());
        if (!Double.isFinite(bound)) {
          return DEFAULT_DURATION_BUCKETS;
        }
        buckets.add(bound);
      } catch (NumberFormatException e) {
        return DEFAULT_DURATION_BUCKETS;
      }
    }
    return List.copyOf(buckets);
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null ? "" : value.trim();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** A one-line summary for the startup log; holds no secrets. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "namespace=%s defaultLocation=%s metrics=%s devMode=%s logLevel=%s restoreWorkers=%d"
            + " leaderElection=%s",
        chartNamespace,
        defaultPersistenceEnabled
            ? "PV " + DEFAULT_BACKUP_MOUNT
            : !defaultS3SecretName.isEmpty()
                ? "S3 from Secret " + defaultS3SecretName
                : devMode ? "local " + devDirectory : "none",
        metricsEnabled,
        devMode,
        logLevel,
        restoreWorkers,
        leaderElection ? "on as " + identity : "off");
  }
}

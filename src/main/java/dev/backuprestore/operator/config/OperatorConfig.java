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
    Path devDirectory) {

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
        Path.of("backups").toAbsolutePath());
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
        "namespace=%s defaultLocation=%s metrics=%s devMode=%s logLevel=%s",
        chartNamespace,
        defaultPersistenceEnabled
            ? "PV " + DEFAULT_BACKUP_MOUNT
            : !defaultS3SecretName.isEmpty()
                ? "S3 from Secret " + defaultS3SecretName
                : devMode ? "local " + devDirectory : "none",
        metricsEnabled,
        devMode,
        logLevel);
  }
}

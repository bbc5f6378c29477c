package dev.backuprestore.etcd.agent;

import dev.backuprestore.etcd.SnapshotNames;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node agent's configuration, from the environment the per-node Job sets (see {@code
 * EtcdAgentJobs}); {@code --NAME=value} arguments override it (for running by hand).
 *
 * @param snapshotName {@code SNAPSHOT_NAME}
 * @param endpoint {@code ETCD_ENDPOINT}, the node's own member (default {@code
 *     https://127.0.0.1:2379})
 * @param healthEndpoints {@code ETCD_HEALTH_ENDPOINTS}, comma-separated; default {@code endpoint}
 * @param caFile {@code ETCD_CACERT}
 * @param certFile {@code ETCD_CERT}
 * @param keyFile {@code ETCD_KEY}
 * @param nodeName {@code NODE_NAME}
 * @param directory {@code SNAPSHOT_DIR} (default {@code /opt/rke/etcd-snapshots})
 * @param localRetention {@code LOCAL_RETENTION}, 0 keeps all
 * @param s3Retention {@code S3_RETENTION}, 0 keeps all
 * @param healthRetries {@code HEALTH_RETRIES} (default 4, RKE's)
 * @param healthRetryInterval {@code HEALTH_RETRY_INTERVAL_SECONDS} (default 15, RKE's)
 * @param upload S3 from {@code S3_BUCKET}, {@code S3_ENDPOINT}, {@code S3_REGION}, {@code
 *     S3_FOLDER}, {@code S3_ENDPOINT_CA}, {@code S3_INSECURE_SKIP_VERIFY}, {@code S3_USE_HTTP},
 *     {@code S3_ACCESS_KEY}, {@code S3_SECRET_KEY}; null when this node does not upload
 * @param terminationMessagePath {@code TERMINATION_MESSAGE_PATH} (default {@code
 *     /dev/termination-log})
 * @param distribution {@code DISTRIBUTION}, for the state file
 * @param kubernetesVersion {@code KUBERNETES_VERSION}, for the state file
 * @param compress {@code COMPRESS} (default true): Deflate the snapshot inside the zip
 */
public record AgentConfig(
    String snapshotName,
    String endpoint,
    List<String> healthEndpoints,
    Path caFile,
    Path certFile,
    Path keyFile,
    String nodeName,
    Path directory,
    int localRetention,
    int s3Retention,
    int healthRetries,
    Duration healthRetryInterval,
    S3Location upload,
    Path terminationMessagePath,
    String distribution,
    String kubernetesVersion,
    boolean compress) {

  public static final String DEFAULT_DIRECTORY = "/opt/rke/etcd-snapshots";
  public static final String DEFAULT_ENDPOINT = "https://127.0.0.1:2379";

  @Override
  public String toString() {
    return "AgentConfig[" + snapshotName + " on " + nodeName + " via " + endpoint + "]";
  }

  /**
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static AgentConfig from(Map<String, String> env, String[] args) {
    Map<String, String> values = new HashMap<>(env);
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException(
            "etcd-agent takes --NAME=value arguments, not " + arg + "; see AgentConfig");
      }
      values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    String name = SnapshotNames.requireValidName(required(values, "SNAPSHOT_NAME"));
    String endpoint = values.getOrDefault("ETCD_ENDPOINT", DEFAULT_ENDPOINT);
    String health = values.getOrDefault("ETCD_HEALTH_ENDPOINTS", "");
    List<String> healthEndpoints =
        health.isBlank()
            ? List.of(endpoint)
            : Arrays.stream(health.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new AgentConfig(
        name,
        endpoint,
        healthEndpoints,
        path(values, "ETCD_CACERT"),
        path(values, "ETCD_CERT"),
        path(values, "ETCD_KEY"),
        values.getOrDefault("NODE_NAME", ""),
        Path.of(values.getOrDefault("SNAPSHOT_DIR", DEFAULT_DIRECTORY)),
        number(values, "LOCAL_RETENTION", 0),
        number(values, "S3_RETENTION", 0),
        number(values, "HEALTH_RETRIES", 4),
        Duration.ofSeconds(number(values, "HEALTH_RETRY_INTERVAL_SECONDS", 15)),
        s3(values),
        Path.of(values.getOrDefault("TERMINATION_MESSAGE_PATH", "/dev/termination-log")),
        values.getOrDefault("DISTRIBUTION", ""),
        values.getOrDefault("KUBERNETES_VERSION", ""),
        !"false".equalsIgnoreCase(values.getOrDefault("COMPRESS", "true").trim()));
  }

  private static S3Location s3(Map<String, String> values) {
    String bucket = values.getOrDefault("S3_BUCKET", "");
    if (bucket.isBlank()) {
      return null;
    }
    String access = values.getOrDefault("S3_ACCESS_KEY", "");
    String secret = values.getOrDefault("S3_SECRET_KEY", "");
    return S3Location.builder(bucket)
        .endpoint(blankToNull(values.get("S3_ENDPOINT")))
        .region(blankToNull(values.get("S3_REGION")))
        .folder(blankToNull(values.get("S3_FOLDER")))
        .endpointCA(blankToNull(values.get("S3_ENDPOINT_CA")))
        .insecureTLSSkipVerify(Boolean.parseBoolean(values.get("S3_INSECURE_SKIP_VERIFY")))
        .credentials(access.isEmpty() ? null : new S3Credentials(access, secret))
        .useHttps(!Boolean.parseBoolean(values.get("S3_USE_HTTP")))
        .build();
  }

  private static String required(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("etcd-agent: " + key + " is not set");
    }
    return value;
  }

  private static Path path(Map<String, String> values, String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  private static int number(Map<String, String> values, String key, int fallback) {
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "etcd-agent: " + key + " must be a whole number >= 0, not " + value);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}

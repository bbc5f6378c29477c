package dev.backuprestore.etcd.agent;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one node's agent Job needs.
 *
 * @param namespace where the Job runs (the operator's namespace: the S3 credential Secret must be
 *     there, since the Job has no API token to read it elsewhere)
 * @param image the operator image
 * @param etcdSnapshot the owning EtcdSnapshot's name
 * @param owner the owner reference (the EtcdSnapshot), or null
 * @param snapshotName the snapshot name this run writes
 * @param nodeName the etcd node
 * @param preset certificate paths and endpoint of the distribution
 * @param caFile host path overriding the preset, or null
 * @param certFile host path overriding the preset, or null
 * @param keyFile host path overriding the preset, or null
 * @param endpoint the member the agent snapshots, or null for the preset's
 * @param healthEndpoints all members' client URLs, or empty (the agent asks its own member)
 * @param snapshotDir host directory of the local copies
 * @param localRetention recurring copies to keep per node, 0 keeps all
 * @param s3Retention recurring copies to keep in S3, 0 keeps all
 * @param healthRetries health check retries
 * @param healthRetryIntervalSeconds seconds between attempts
 * @param timeoutSeconds deadline of the Job's pod
 * @param s3 the upload target for the designated node, else null
 * @param tolerations the Jobs' tolerations; null tolerates every taint
 * @param compress Deflate the snapshot inside the zip
 */
public record AgentJobRequest(
    String namespace,
    String image,
    String etcdSnapshot,
    OwnerReference owner,
    String snapshotName,
    String nodeName,
    EtcdPreset preset,
    String caFile,
    String certFile,
    String keyFile,
    String endpoint,
    List<String> healthEndpoints,
    String snapshotDir,
    int localRetention,
    int s3Retention,
    int healthRetries,
    int healthRetryIntervalSeconds,
    int timeoutSeconds,
    S3Env s3,
    List<Toleration> tolerations,
    boolean compress) {

  public AgentJobRequest {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(preset, "preset");
    healthEndpoints = healthEndpoints == null ? List.of() : List.copyOf(healthEndpoints);
  }

  /**
   * S3 for the uploading node: plain values and a Secret reference for the keys (never values).
   *
   * @param values S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_FOLDER, S3_ENDPOINT_CA,
   *     S3_INSECURE_SKIP_VERIFY, S3_USE_HTTP
   * @param credentialSecretName a Secret in {@code namespace} with accessKey and secretKey, or null
   *     for the AWS default chain
   */
  public record S3Env(Map<String, String> values, String credentialSecretName) {}
}

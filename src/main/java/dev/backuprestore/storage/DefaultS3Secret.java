package dev.backuprestore.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * The operator's default S3 location: the chart's {@code rancher-backup-s3} Secret, named by {@code
 * DEFAULT_S3_BACKUP_STORAGE_LOCATION} in the chart namespace. The operator decodes the Secret's
 * data and passes it to {@link #parse}; it then reads the credential Secret (if named) and calls
 * {@link #toLocation}.
 *
 * <p>{@code clientConfig} is accepted both as a JSON object (what the value holds after the chart's
 * {@code toJson | quote}) and as a JSON string holding that object (double-encoded); Rancher itself
 * fails on one of the two.
 *
 * @param bucketLookup null when not configured
 * @param dualStack {@code clientConfig.aws.dualStack}; true unless explicitly false
 */
public record DefaultS3Secret(
    String endpoint,
    String endpointCA,
    boolean insecureTLSSkipVerify,
    String credentialSecretName,
    String credentialSecretNamespace,
    String bucketName,
    String region,
    String folder,
    BucketLookup bucketLookup,
    boolean dualStack) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses the decoded data of the default S3 Secret. Missing keys are empty.
   *
   * @throws StorageException permanent when {@code clientConfig} is not valid JSON or has an
   *     unknown {@code bucketLookup}
   */
  public static DefaultS3Secret parse(Map<String, String> data) {
    Map<String, String> values = data == null ? Map.of() : data;
    JsonNode clientConfig = clientConfig(values.get("clientConfig"));
    return new DefaultS3Secret(
        text(values, "endpoint"),
        text(values, "endpointCA"),
        "true".equalsIgnoreCase(text(values, "insecureTLSSkipVerify")),
        text(values, "credentialSecretName"),
        text(values, "credentialSecretNamespace"),
        text(values, "bucketName"),
        text(values, "region"),
        values.getOrDefault("folder", ""),
        BucketLookup.parse(clientConfig.path("bucketLookup").asText("")),
        dualStack(clientConfig.path("aws").path("dualStack")));
  }

  /**
   * The S3 location this Secret describes.
   *
   * @param credentials read from {@code credentialSecretNamespace/credentialSecretName}, or null
   *     for the default AWS credential chain
   * @param useHttps false only in dev mode
   */
  public S3Location toLocation(S3Credentials credentials, boolean useHttps) {
    return S3Location.builder(bucketName)
        .endpoint(endpoint)
        .endpointCA(endpointCA)
        .insecureTLSSkipVerify(insecureTLSSkipVerify)
        .region(region)
        .folder(folder)
        .bucketLookup(bucketLookup)
        .dualStack(dualStack)
        .credentials(credentials)
        .useHttps(useHttps)
        .build();
  }

  /** Rancher's CRD default is true; only an explicit false (or "false") turns it off. */
  private static boolean dualStack(JsonNode value) {
    boolean explicitFalse =
        value.isBoolean() ? !value.booleanValue() : "false".equalsIgnoreCase(value.asText(""));
    return !explicitFalse;
  }

  private static String text(Map<String, String> values, String key) {
    String value = values.get(key);
    return value == null ? "" : value.trim();
  }

  private static JsonNode clientConfig(String value) {
    if (value == null || value.isBlank()) {
      return JSON.missingNode();
    }
    try {
      JsonNode node = JSON.readTree(value);
      if (node != null && node.isTextual()) {
        node = node.asText().isBlank() ? JSON.missingNode() : JSON.readTree(node.asText());
      }
      if (node == null || node.isNull() || node.isMissingNode()) {
        return JSON.missingNode();
      }
      if (!node.isObject()) {
        throw StorageException.permanent(
            "invalid clientConfig in the default S3 secret: expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw StorageException.permanent(
          "invalid clientConfig in the default S3 secret: not valid JSON ("
              + e.getOriginalMessage()
              + ")");
    }
  }
}

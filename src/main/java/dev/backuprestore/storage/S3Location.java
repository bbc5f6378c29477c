package dev.backuprestore.storage;

/**
 * Everything needed to reach one S3 bucket folder. Built by the operator from a Backup's or
 * Restore's {@code storageLocation.s3} (or the default S3 Secret) plus the resolved credentials.
 *
 * @param endpoint {@code host[:port]} without scheme; blank means AWS ({@code s3.amazonaws.com})
 * @param bucketName the bucket; required
 * @param region the region; blank lets the endpoint decide (derived from an AWS host name, or
 *     {@code us-east-1} with cross-region access for the global AWS endpoint and S3-compatible
 *     servers)
 * @param folder the folder inside the bucket; blank for the bucket root
 * @param endpointCA base64 of PEM certificates, or a path to a PEM file; blank for the JVM's trust
 *     store. When set, only these certificates are trusted (as in Rancher)
 * @param insecureTLSSkipVerify accept any server certificate and host name
 * @param bucketLookup null when not configured: {@code dns} for endpoints containing {@code
 *     aliyun}, else {@code auto}
 * @param dualStack use the IPv4/IPv6 dual-stack AWS endpoints (AWS endpoints only)
 * @param credentials static credentials, or null for the SDK's default chain (environment, web
 *     identity / IRSA, EKS Pod Identity, container and instance profiles)
 * @param useHttps false only in dev mode ({@code CATTLE_DEV_MODE}), where plain HTTP is used
 * @param checksumsWhenRequired true to send and validate the SDK's flexible checksums only when an
 *     operation requires them; for S3-compatible servers that reject the newer checksum headers
 */
public record S3Location(
    String endpoint,
    String bucketName,
    String region,
    String folder,
    String endpointCA,
    boolean insecureTLSSkipVerify,
    BucketLookup bucketLookup,
    boolean dualStack,
    S3Credentials credentials,
    boolean useHttps,
    boolean checksumsWhenRequired) {

  public S3Location {
    endpoint = blankToEmpty(endpoint);
    region = blankToEmpty(region);
    folder = folder == null ? "" : folder;
    endpointCA = blankToEmpty(endpointCA);
    if (bucketName == null || bucketName.isBlank()) {
      throw StorageException.permanent("s3 bucketName is required");
    }
    bucketName = bucketName.trim();
  }

  /** A builder with the defaults of an empty CR: AWS endpoint, HTTPS, dual-stack on. */
  public static Builder builder(String bucketName) {
    return new Builder(bucketName);
  }

  /** A builder pre-filled with this location, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(bucketName)
        .endpoint(endpoint)
        .region(region)
        .folder(folder)
        .endpointCA(endpointCA)
        .insecureTLSSkipVerify(insecureTLSSkipVerify)
        .bucketLookup(bucketLookup)
        .dualStack(dualStack)
        .credentials(credentials)
        .useHttps(useHttps)
        .checksumsWhenRequired(checksumsWhenRequired);
  }

  /** For logs and status messages: no credentials, no CA. */
  public String describe() {
    StringBuilder text = new StringBuilder("s3 bucket [").append(bucketName).append(']');
    String keyPrefix = S3ObjectKeys.listPrefix(folder);
    if (!keyPrefix.isEmpty()) {
      text.append(" folder [").append(keyPrefix, 0, keyPrefix.length() - 1).append(']');
    }
    text.append(" at ").append(endpoint.isEmpty() ? S3Endpoints.AWS_GLOBAL_HOST : endpoint);
    if (!region.isEmpty()) {
      text.append(" (region ").append(region).append(')');
    }
    return text.toString();
  }

  /** Redacted; safe to log. */
  @Override
  public String toString() {
    return describe()
        + (credentials == null ? " with default credentials" : " with " + credentials);
  }

  private static String blankToEmpty(String value) {
    return value == null ? "" : value.trim();
  }

  /** Mutable builder; defaults: HTTPS on, dual-stack on, everything else empty. */
  public static final class Builder {
    private final String bucketName;
    private String endpoint = "";
    private String region = "";
    private String folder = "";
    private String endpointCA = "";
    private boolean insecureTLSSkipVerify;
    private BucketLookup bucketLookup;
    private boolean dualStack = true;
    private S3Credentials credentials;
    private boolean useHttps = true;
    private boolean checksumsWhenRequired;

    private Builder(String bucketName) {
      this.bucketName = bucketName;
    }

    public Builder endpoint(String value) {
      endpoint = value;
      return this;
    }

    public Builder region(String value) {
      region = value;
      return this;
    }

    public Builder folder(String value) {
      folder = value;
      return this;
    }

    public Builder endpointCA(String value) {
      endpointCA = value;
      return this;
    }

    public Builder insecureTLSSkipVerify(boolean value) {
      insecureTLSSkipVerify = value;
      return this;
    }

    public Builder bucketLookup(BucketLookup value) {
      bucketLookup = value;
      return this;
    }

    public Builder dualStack(boolean value) {
      dualStack = value;
      return this;
    }

    public Builder credentials(S3Credentials value) {
      credentials = value;
      return this;
    }

    public Builder useHttps(boolean value) {
      useHttps = value;
      return this;
    }

    public Builder checksumsWhenRequired(boolean value) {
      checksumsWhenRequired = value;
      return this;
    }

    public S3Location build() {
      return new S3Location(
          endpoint,
          bucketName,
          region,
          folder,
          endpointCA,
          insecureTLSSkipVerify,
          bucketLookup,
          dualStack,
          credentials,
          useHttps,
          checksumsWhenRequired);
    }
  }
}

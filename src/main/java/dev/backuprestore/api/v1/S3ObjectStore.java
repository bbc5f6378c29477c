package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;

/** An S3-compatible bucket that holds backup archives. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class S3ObjectStore {
  @Required
  @JsonPropertyDescription(
      "Host or host:port of the S3 endpoint, without a scheme, e.g. s3.us-west-2.amazonaws.com.")
  private String endpoint;

  @Required
  @JsonPropertyDescription("Name of the bucket.")
  private String bucketName;

  // Explicit names: the acronyms would otherwise depend on Jackson's getter-name mangling.
  @JsonProperty("endpointCA")
  @JsonPropertyDescription(
      "CA certificate that signs the endpoint's TLS certificate: base64 of its PEM, or else the"
          + " path of a PEM file in the operator's container.")
  private String endpointCA;

  @JsonProperty("insecureTLSSkipVerify")
  @JsonPropertyDescription("Skip verification of the endpoint's TLS certificate.")
  private Boolean insecureTLSSkipVerify;

  @JsonPropertyDescription(
      "Secret with the data keys accessKey and secretKey; without it the default AWS credential"
          + " chain (IAM) is used.")
  private String credentialSecretName;

  @JsonPropertyDescription("Namespace of the credential Secret.")
  private String credentialSecretNamespace;

  @JsonPropertyDescription("Region of the bucket.")
  private String region;

  @JsonPropertyDescription("Folder (object key prefix) inside the bucket.")
  private String folder;

  @Nullable
  @JsonPropertyDescription("Advanced S3 client settings.")
  private ClientConfig clientConfig;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getBucketName() {
    return bucketName;
  }

  public void setBucketName(String bucketName) {
    this.bucketName = bucketName;
  }

  public String getEndpointCA() {
    return endpointCA;
  }

  public void setEndpointCA(String endpointCA) {
    this.endpointCA = endpointCA;
  }

  public Boolean getInsecureTLSSkipVerify() {
    return insecureTLSSkipVerify;
  }

  public void setInsecureTLSSkipVerify(Boolean insecureTLSSkipVerify) {
    this.insecureTLSSkipVerify = insecureTLSSkipVerify;
  }

  /** Unset means verify. */
  @JsonIgnore
  public boolean isInsecureTLSSkipVerifyEffective() {
    return Boolean.TRUE.equals(insecureTLSSkipVerify);
  }

  public String getCredentialSecretName() {
    return credentialSecretName;
  }

  public void setCredentialSecretName(String credentialSecretName) {
    this.credentialSecretName = credentialSecretName;
  }

  public String getCredentialSecretNamespace() {
    return credentialSecretNamespace;
  }

  public void setCredentialSecretNamespace(String credentialSecretNamespace) {
    this.credentialSecretNamespace = credentialSecretNamespace;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getFolder() {
    return folder;
  }

  public void setFolder(String folder) {
    this.folder = folder;
  }

  public ClientConfig getClientConfig() {
    return clientConfig;
  }

  public void setClientConfig(ClientConfig clientConfig) {
    this.clientConfig = clientConfig;
  }
}

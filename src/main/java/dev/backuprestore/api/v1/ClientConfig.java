package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;

/** Advanced S3 client settings; provider-specific ones are grouped under the provider's name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClientConfig {
  @Nullable
  @JsonPropertyDescription("Settings that only apply to AWS S3.")
  private AwsConfig aws;

  @JsonPropertyDescription(
      "Bucket lookup style, case-insensitive: auto, dns (virtual-hosted) or path. When unset, dns"
          + " for aliyun endpoints and auto otherwise; any other value is an error.")
  private String bucketLookup;

  public AwsConfig getAws() {
    return aws;
  }

  public void setAws(AwsConfig aws) {
    this.aws = aws;
  }

  public String getBucketLookup() {
    return bucketLookup;
  }

  public void setBucketLookup(String bucketLookup) {
    this.bucketLookup = bucketLookup;
  }
}

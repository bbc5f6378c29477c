package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;

/** Where backup archives are stored; when absent the operator's default location is used. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StorageLocation {
  @Nullable
  @JsonPropertyDescription("An S3-compatible object store.")
  private S3ObjectStore s3;

  public S3ObjectStore getS3() {
    return s3;
  }

  public void setS3(S3ObjectStore s3) {
    this.s3 = s3;
  }
}

package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * How many recurring snapshots to keep, counted per location: local copies per node, S3 objects
 * apart. Failed snapshots never count.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotRetention {
  @Min(0)
  @JsonPropertyDescription(
      "Recurring snapshots to keep in each node's snapshot directory; 5 when unset (RKE2/K3s). 0 keeps all.")
  private Integer local;

  @Min(0)
  @JsonPropertyDescription(
      "Recurring snapshots to keep in the S3 folder; 5 when unset. 0 keeps all.")
  private Integer s3;

  public Integer getLocal() {
    return local;
  }

  public void setLocal(Integer local) {
    this.local = local;
  }

  public Integer getS3() {
    return s3;
  }

  public void setS3(Integer s3) {
    this.s3 = s3;
  }
}

package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The copy's state and verification data. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotFileStatus {
  @JsonPropertyDescription("Whether the copy is complete and verified.")
  private Boolean readyToUse;

  @JsonPropertyDescription("Size of the zip in bytes.")
  private Long size;

  @JsonPropertyDescription("RFC3339 time the snapshot was taken.")
  private String creationTime;

  @JsonPropertyDescription("Why it is not ready to use.")
  private EtcdSnapshotFileError error;

  @JsonPropertyDescription(
      "sha256 of the zip (also in the .zip.sha256 sidecar and the S3 object metadata).")
  private String sha256;

  @JsonPropertyDescription(
      "The etcd snapshot's sha256 trailer, verified when the snapshot was taken.")
  private String dbSha256;

  @JsonPropertyDescription("etcd data from the state file.")
  private EtcdSnapshotFileEtcd etcd;

  @JsonPropertyDescription("Kubernetes version at snapshot time, when known.")
  private String kubernetesVersion;

  public Boolean getReadyToUse() {
    return readyToUse;
  }

  public void setReadyToUse(Boolean readyToUse) {
    this.readyToUse = readyToUse;
  }

  public Long getSize() {
    return size;
  }

  public void setSize(Long size) {
    this.size = size;
  }

  public String getCreationTime() {
    return creationTime;
  }

  public void setCreationTime(String creationTime) {
    this.creationTime = creationTime;
  }

  public EtcdSnapshotFileError getError() {
    return error;
  }

  public void setError(EtcdSnapshotFileError error) {
    this.error = error;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public String getDbSha256() {
    return dbSha256;
  }

  public void setDbSha256(String dbSha256) {
    this.dbSha256 = dbSha256;
  }

  public EtcdSnapshotFileEtcd getEtcd() {
    return etcd;
  }

  public void setEtcd(EtcdSnapshotFileEtcd etcd) {
    this.etcd = etcd;
  }

  public String getKubernetesVersion() {
    return kubernetesVersion;
  }

  public void setKubernetesVersion(String kubernetesVersion) {
    this.kubernetesVersion = kubernetesVersion;
  }
}

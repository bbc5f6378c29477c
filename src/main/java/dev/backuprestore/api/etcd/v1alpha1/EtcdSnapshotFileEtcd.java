package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The etcd data of a snapshot, from its state file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotFileEtcd {
  @JsonPropertyDescription("Cluster ID (hex).")
  private String clusterID;

  @JsonPropertyDescription("Member the snapshot was streamed from.")
  private String member;

  @JsonPropertyDescription("Its ID (hex).")
  private String memberID;

  @JsonPropertyDescription("etcd version.")
  private String version;

  @JsonPropertyDescription("Storage version of the snapshot.")
  private String storageVersion;

  @JsonPropertyDescription("Revision of hashKV.")
  private Long revision;

  @JsonPropertyDescription("Compacted revision.")
  private Long compactRevision;

  @JsonPropertyDescription("KV hash at revision, equal on all members (unsigned 32-bit).")
  private Long hashKV;

  @JsonPropertyDescription("Size of the etcd snapshot in bytes.")
  private Long dbSize;

  public String getClusterID() {
    return clusterID;
  }

  public void setClusterID(String clusterID) {
    this.clusterID = clusterID;
  }

  public String getMember() {
    return member;
  }

  public void setMember(String member) {
    this.member = member;
  }

  public String getMemberID() {
    return memberID;
  }

  public void setMemberID(String memberID) {
    this.memberID = memberID;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getStorageVersion() {
    return storageVersion;
  }

  public void setStorageVersion(String storageVersion) {
    this.storageVersion = storageVersion;
  }

  public Long getRevision() {
    return revision;
  }

  public void setRevision(Long revision) {
    this.revision = revision;
  }

  public Long getCompactRevision() {
    return compactRevision;
  }

  public void setCompactRevision(Long compactRevision) {
    this.compactRevision = compactRevision;
  }

  public Long getHashKV() {
    return hashKV;
  }

  public void setHashKV(Long hashKV) {
    this.hashKV = hashKV;
  }

  public Long getDbSize() {
    return dbSize;
  }

  public void setDbSize(Long dbSize) {
    this.dbSize = dbSize;
  }
}

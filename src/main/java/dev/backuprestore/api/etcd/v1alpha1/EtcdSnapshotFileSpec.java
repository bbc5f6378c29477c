package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Which stored copy this is (K3s ETCDSnapshotFile fields). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotFileSpec {
  @JsonPropertyDescription("The snapshot name (the zip is <snapshotName>.zip).")
  private String snapshotName;

  @JsonPropertyDescription("The node that holds the copy, or s3.")
  private String nodeName;

  @JsonPropertyDescription(
      "file:///opt/rke/etcd-snapshots/<name>.zip on the node, or s3://<bucket>/<folder>/<name>.zip.")
  private String location;

  @JsonPropertyDescription("The EtcdSnapshot that made it, when known.")
  private String snapshotRef;

  @JsonPropertyDescription("The S3 location of an S3 copy.")
  private EtcdSnapshotFileS3 s3;

  @JsonPropertyDescription("Extra metadata stored with the snapshot.")
  private Map<String, String> metadata;

  public String getSnapshotName() {
    return snapshotName;
  }

  public void setSnapshotName(String snapshotName) {
    this.snapshotName = snapshotName;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getSnapshotRef() {
    return snapshotRef;
  }

  public void setSnapshotRef(String snapshotRef) {
    this.snapshotRef = snapshotRef;
  }

  public EtcdSnapshotFileS3 getS3() {
    return s3;
  }

  public void setS3(EtcdSnapshotFileS3 s3) {
    this.s3 = s3;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }

  public void setMetadata(Map<String, String> metadata) {
    this.metadata = metadata;
  }
}

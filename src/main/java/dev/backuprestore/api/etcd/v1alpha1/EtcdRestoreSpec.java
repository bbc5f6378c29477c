package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.backuprestore.api.v1.StorageLocation;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * What to prepare: the snapshot (an EtcdSnapshotFile, or a file name in an S3 location or on the
 * nodes) and the etcd nodes that fetch and verify it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdRestoreSpec {
  @JsonPropertyDescription(
      "The EtcdSnapshotFile to prepare (its location and recorded sha256); or give fileName.")
  private String snapshotFile;

  @JsonPropertyDescription(
      "Instead of snapshotFile: the zip's file name in storageLocation.s3 (bucket and folder), or without storageLocation an absolute path of the zip on every node.")
  private String fileName;

  @JsonPropertyDescription(
      "Where fileName is (the same S3 shape as an EtcdSnapshot's); with snapshotFile, the owning EtcdSnapshot's is used for the transport options and credentials.")
  private StorageLocation storageLocation;

  @JsonPropertyDescription(
      "The S3 credential Secret (accessKey, secretKey) in the operator's namespace; default: storageLocation.s3.credentialSecretName, else the owning EtcdSnapshot's.")
  private String credentialSecretName;

  @JsonPropertyDescription(
      "The sha256 the zip must have; default: the EtcdSnapshotFile's status.sha256, else the .zip.sha256 sidecar next to the zip.")
  private String expectedSha256;

  @JsonPropertyDescription(
      "Go on when no sha256 was recorded for the zip (e.g. a zip written by RKE); entry names and the etcd trailer are still verified and the nodes must agree.")
  private Boolean allowUnrecordedChecksum;

  @JsonPropertyDescription(
      "The etcd nodes to prepare on; default: the nodes matching nodeSelector.")
  private List<String> nodes;

  @JsonPropertyDescription(
      "The etcd nodes when nodes is unset; default: the owning EtcdSnapshot's nodeSelector, else the distribution preset's label (kubeadm: node-role.kubernetes.io/control-plane, rke2/k3s/rke1: node-role.kubernetes.io/etcd=true).")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "kubeadm, rke2, k3s, rke1 or custom: picks the default node label; default: the owning EtcdSnapshot's, else the operator's default.")
  private String distribution;

  @JsonPropertyDescription(
      "Tolerations of the Jobs; when unset they tolerate every taint, since etcd nodes are usually tainted.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Host directory the zip is fetched into on every node; /opt/rke/etcd-snapshots-restore when unset (etcd-restore run's default).")
  private String workDir;

  @Min(30)
  @JsonPropertyDescription("Time allowed per node to fetch and verify; 600 when unset.")
  private Integer timeoutSeconds;

  public String getSnapshotFile() {
    return snapshotFile;
  }

  public void setSnapshotFile(String snapshotFile) {
    this.snapshotFile = snapshotFile;
  }

  public String getFileName() {
    return fileName;
  }

  public void setFileName(String fileName) {
    this.fileName = fileName;
  }

  public StorageLocation getStorageLocation() {
    return storageLocation;
  }

  public void setStorageLocation(StorageLocation storageLocation) {
    this.storageLocation = storageLocation;
  }

  public String getExpectedSha256() {
    return expectedSha256;
  }

  public void setExpectedSha256(String expectedSha256) {
    this.expectedSha256 = expectedSha256;
  }

  public Boolean getAllowUnrecordedChecksum() {
    return allowUnrecordedChecksum;
  }

  public void setAllowUnrecordedChecksum(Boolean allowUnrecordedChecksum) {
    this.allowUnrecordedChecksum = allowUnrecordedChecksum;
  }

  public String getCredentialSecretName() {
    return credentialSecretName;
  }

  public void setCredentialSecretName(String credentialSecretName) {
    this.credentialSecretName = credentialSecretName;
  }

  public List<String> getNodes() {
    return nodes;
  }

  public void setNodes(List<String> nodes) {
    this.nodes = nodes;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public String getDistribution() {
    return distribution;
  }

  public void setDistribution(String distribution) {
    this.distribution = distribution;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public String getWorkDir() {
    return workDir;
  }

  public void setWorkDir(String workDir) {
    this.workDir = workDir;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }
}

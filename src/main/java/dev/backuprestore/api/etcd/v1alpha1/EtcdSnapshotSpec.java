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
 * A one-time or recurring etcd snapshot: health-checked on every member, a local copy on every etcd
 * node, optionally one copy in S3.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdSnapshotSpec {
  @JsonPropertyDescription(
      "Cron schedule (robfig syntax: 5 fields, @every, @daily, CRON_TZ=) of a recurring snapshot, e.g. 0 */12 * * *; empty means one-time.")
  private String schedule;

  @JsonPropertyDescription(
      "One-time only: the snapshot name (RKE --name); rke_etcd_snapshot_<RFC3339> when unset. Letters, digits and . _ + : - only.")
  private String snapshotName;

  @JsonPropertyDescription(
      "Replace ':' by '-' in the timestamp of generated names, for stores and file systems that dislike colons (RKE safe_timestamp).")
  private Boolean safeTimestamp;

  @JsonPropertyDescription("Recurring snapshots to keep, per node and in S3 apart.")
  private EtcdSnapshotRetention retention;

  @Min(10)
  @JsonPropertyDescription(
      "Time allowed per member for health check, snapshot and upload; 300 when unset (RKE).")
  private Integer timeoutSeconds;

  @Min(0)
  @JsonPropertyDescription("Health check retries before a run fails; 4 when unset (RKE).")
  private Integer healthRetries;

  @Min(1)
  @JsonPropertyDescription("Seconds between health check attempts; 15 when unset (RKE).")
  private Integer healthRetryIntervalSeconds;

  @JsonPropertyDescription("How to reach etcd.")
  private EtcdAccess etcd;

  @JsonPropertyDescription(
      "Node mode: the etcd nodes; the preset's when unset (kubeadm: node-role.kubernetes.io/control-plane, rke2/k3s/rke1: node-role.kubernetes.io/etcd=true).")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "Node mode: tolerations of the Jobs; when unset they tolerate every taint, since etcd nodes are usually tainted.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Where the S3 copy goes (the same S3 shape as a Backup's); no S3 copy when unset.")
  private StorageLocation storageLocation;

  @JsonPropertyDescription("Suspend a recurring snapshot: no new runs until it is false again.")
  private Boolean suspend;

  @JsonPropertyDescription(
      "Deflate-compress the etcd snapshot inside the zip, as RKE does; true when unset. false keeps the same zip layout with stored blocks: much less CPU, a larger file (RKE2/K3s do not compress by default).")
  private Boolean compress;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getSnapshotName() {
    return snapshotName;
  }

  public void setSnapshotName(String snapshotName) {
    this.snapshotName = snapshotName;
  }

  public Boolean getSafeTimestamp() {
    return safeTimestamp;
  }

  public void setSafeTimestamp(Boolean safeTimestamp) {
    this.safeTimestamp = safeTimestamp;
  }

  public EtcdSnapshotRetention getRetention() {
    return retention;
  }

  public void setRetention(EtcdSnapshotRetention retention) {
    this.retention = retention;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getHealthRetries() {
    return healthRetries;
  }

  public void setHealthRetries(Integer healthRetries) {
    this.healthRetries = healthRetries;
  }

  public Integer getHealthRetryIntervalSeconds() {
    return healthRetryIntervalSeconds;
  }

  public void setHealthRetryIntervalSeconds(Integer healthRetryIntervalSeconds) {
    this.healthRetryIntervalSeconds = healthRetryIntervalSeconds;
  }

  public EtcdAccess getEtcd() {
    return etcd;
  }

  public void setEtcd(EtcdAccess etcd) {
    this.etcd = etcd;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public StorageLocation getStorageLocation() {
    return storageLocation;
  }

  public void setStorageLocation(StorageLocation storageLocation) {
    this.storageLocation = storageLocation;
  }

  public Boolean getCompress() {
    return compress;
  }

  public void setCompress(Boolean compress) {
    this.compress = compress;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }
}

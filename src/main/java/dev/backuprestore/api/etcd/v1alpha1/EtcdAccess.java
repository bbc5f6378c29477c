package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * How the operator reaches etcd: on every etcd node through a Job (RKE's model) or from the
 * operator with endpoints and a client certificate Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EtcdAccess {
  @io.fabric8.generator.annotation.Pattern("^(Node|Operator)$")
  @JsonPropertyDescription(
      "Node: one Job per etcd node snapshots its own member and keeps a local copy (RKE's model). Operator: the operator connects to the endpoints with clientSecretName and uploads to S3 (no local copies). Operator when clientSecretName is set, else Node.")
  private String mode;

  @io.fabric8.generator.annotation.Pattern("^(kubeadm|rke2|k3s|rke1|custom)$")
  @JsonPropertyDescription(
      "kubeadm, rke2, k3s or rke1: presets for the host certificate paths, the etcd node selector and the endpoint; custom needs hostCerts. kubeadm when unset.")
  private String distribution;

  @JsonPropertyDescription(
      "Client URLs of the members (https://host:2379). Node mode: the member each Job snapshots is its node's own (https://127.0.0.1:2379, or the node's InternalIP for rke1); these are used for the health check, and the first of them that names the node itself (a loopback address, localhost or $(NODE_IP)) is the member each Job snapshots instead of the preset's (an etcd on another port). Operator mode: required.")
  private List<String> endpoints;

  @JsonPropertyDescription("Operator mode: a Secret with ca.crt, tls.crt and tls.key for etcd.")
  private String clientSecretName;

  @JsonPropertyDescription("Namespace of clientSecretName; the operator's namespace when unset.")
  private String clientSecretNamespace;

  @JsonPropertyDescription(
      "Node mode: host paths of the etcd client certificate, overriding the preset.")
  private HostCertificates hostCerts;

  @JsonPropertyDescription(
      "Node mode: the host directory of the local copies; /opt/rke/etcd-snapshots when unset (RKE's).")
  private String snapshotDir;

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public String getDistribution() {
    return distribution;
  }

  public void setDistribution(String distribution) {
    this.distribution = distribution;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public String getClientSecretName() {
    return clientSecretName;
  }

  public void setClientSecretName(String clientSecretName) {
    this.clientSecretName = clientSecretName;
  }

  public String getClientSecretNamespace() {
    return clientSecretNamespace;
  }

  public void setClientSecretNamespace(String clientSecretNamespace) {
    this.clientSecretNamespace = clientSecretNamespace;
  }

  public HostCertificates getHostCerts() {
    return hostCerts;
  }

  public void setHostCerts(HostCertificates hostCerts) {
    this.hostCerts = hostCerts;
  }

  public String getSnapshotDir() {
    return snapshotDir;
  }

  public void setSnapshotDir(String snapshotDir) {
    this.snapshotDir = snapshotDir;
  }
}

package dev.backuprestore.etcd.agent;

import java.util.Locale;
import java.util.Map;

/**
 * Where each distribution keeps its etcd client certificate on the etcd nodes, how the node reaches
 * its own member, and which label marks etcd nodes. Sources: the kubeadm {@code init phase certs}
 * reference, K3s/RKE2's {@code server/tls/etcd} layout and RKE1's {@code pki} constants and
 * rke-tools command line (docs/etcd-snapshots.md, "presets").
 */
public enum EtcdPreset {
  KUBEADM(
      "/etc/kubernetes/pki/etcd/ca.crt",
      "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
      "/etc/kubernetes/pki/etcd/healthcheck-client.key",
      "https://127.0.0.1:2379",
      Map.of("node-role.kubernetes.io/control-plane", "")),
  RKE2(
      "/var/lib/rancher/rke2/server/tls/etcd/server-ca.crt",
      "/var/lib/rancher/rke2/server/tls/etcd/client.crt",
      "/var/lib/rancher/rke2/server/tls/etcd/client.key",
      "https://127.0.0.1:2379",
      Map.of("node-role.kubernetes.io/etcd", "true")),
  K3S(
      "/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt",
      "/var/lib/rancher/k3s/server/tls/etcd/client.crt",
      "/var/lib/rancher/k3s/server/tls/etcd/client.key",
      "https://127.0.0.1:2379",
      Map.of("node-role.kubernetes.io/etcd", "true")),
  /**
   * RKE1's etcd listens on the node's address, not on loopback: $(NODE_IP) from the downward API.
   */
  RKE1(
      "/etc/kubernetes/ssl/kube-ca.pem",
      "/etc/kubernetes/ssl/kube-node.pem",
      "/etc/kubernetes/ssl/kube-node-key.pem",
      "https://$(NODE_IP):2379",
      Map.of("node-role.kubernetes.io/etcd", "true")),
  /** No preset: host paths and endpoints come from the spec. */
  CUSTOM(null, null, null, "https://127.0.0.1:2379", Map.of());

  private final String caFile;
  private final String certFile;
  private final String keyFile;
  private final String endpoint;
  private final Map<String, String> nodeSelector;

  EtcdPreset(
      String caFile,
      String certFile,
      String keyFile,
      String endpoint,
      Map<String, String> nodeSelector) {
    this.caFile = caFile;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.endpoint = endpoint;
    this.nodeSelector = nodeSelector;
  }

  public String caFile() {
    return caFile;
  }

  public String certFile() {
    return certFile;
  }

  public String keyFile() {
    return keyFile;
  }

  /** The node's own member, as the agent (host network) reaches it. */
  public String endpoint() {
    return endpoint;
  }

  /** The label that marks etcd nodes. */
  public Map<String, String> nodeSelector() {
    return nodeSelector;
  }

  /** kubeadm for null or empty; else the name, case-insensitively. */
  public static EtcdPreset parse(String distribution) {
    if (distribution == null || distribution.isBlank()) {
      return KUBEADM;
    }
    try {
      return valueOf(distribution.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "etcd distribution " + distribution + " is not one of kubeadm, rke2, k3s, rke1, custom");
    }
  }
}

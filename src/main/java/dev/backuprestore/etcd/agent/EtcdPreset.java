package dev.backuprestore.etcd.agent;

import java.util.List;
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

  /**
   * The node's own member as its agent reaches it: the first of {@code endpoints} (the spec's) that
   * names the node itself (a loopback address, {@code localhost} or {@code $(NODE_IP)}), so that an
   * etcd on another port or scheme than the preset's can be snapshotted in node mode; else the
   * preset's. An endpoint of another host names another member, never this node's.
   */
  public String memberEndpoint(List<String> endpoints) {
    if (endpoints != null) {
      for (String endpoint : endpoints) {
        if (endpoint != null && namesTheNodeItself(endpoint.trim())) {
          return endpoint.trim();
        }
      }
    }
    return endpoint;
  }

  private static boolean namesTheNodeItself(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return false;
    }
    String authority = url.substring(scheme + 3);
    int slash = authority.indexOf('/');
    if (slash >= 0) {
      authority = authority.substring(0, slash);
    }
    String host;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = close < 0 ? authority : authority.substring(1, close);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.equals("localhost")
        || host.equals("::1")
        || host.equals("$(node_ip)")
        || host.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
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

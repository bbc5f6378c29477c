package dev.backuprestore.api.etcd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Paths on the etcd nodes of the etcd client certificate, mounted read-only into the node Jobs;
 * each overrides the distribution preset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HostCertificates {
  @JsonPropertyDescription("CA bundle that signed etcd's server certificate.")
  private String caFile;

  @JsonPropertyDescription("Client certificate.")
  private String certFile;

  @JsonPropertyDescription("Client key (PKCS#8, PKCS#1 or SEC1 PEM).")
  private String keyFile;

  public String getCaFile() {
    return caFile;
  }

  public void setCaFile(String caFile) {
    this.caFile = caFile;
  }

  public String getCertFile() {
    return certFile;
  }

  public void setCertFile(String certFile) {
    this.certFile = certFile;
  }

  public String getKeyFile() {
    return keyFile;
  }

  public void setKeyFile(String keyFile) {
    this.keyFile = keyFile;
  }
}

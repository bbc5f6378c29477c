package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdAccess;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.config.SecretData;
import dev.backuprestore.etcd.client.EtcdTls;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.storage.BucketLookup;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Maps an EtcdSnapshot's spec onto the engine's inputs: etcd TLS and the S3 location. */
final class EtcdAccessResolver {
  static final String MODE_NODE = "Node";
  static final String MODE_OPERATOR = "Operator";

  private final KubernetesClient client;
  private final String operatorNamespace;
  private final boolean devMode;

  EtcdAccessResolver(KubernetesClient client, String operatorNamespace, boolean devMode) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
    this.devMode = devMode;
  }

  static EtcdAccess access(EtcdSnapshot snapshot) {
    EtcdAccess access = snapshot.getSpec().getEtcd();
    return access == null ? new EtcdAccess() : access;
  }

  static String mode(EtcdSnapshot snapshot) {
    EtcdAccess access = access(snapshot);
    if (access.getMode() != null && !access.getMode().isBlank()) {
      return access.getMode();
    }
    return access.getClientSecretName() == null || access.getClientSecretName().isBlank()
        ? MODE_NODE
        : MODE_OPERATOR;
  }

  /** The client certificate Secret (ca.crt, tls.crt, tls.key), or null without one. */
  EtcdTls tls(EtcdSnapshot snapshot) {
    EtcdAccess access = access(snapshot);
    String name = access.getClientSecretName();
    if (name == null || name.isBlank()) {
      return null;
    }
    String namespace =
        access.getClientSecretNamespace() == null || access.getClientSecretNamespace().isBlank()
            ? operatorNamespace
            : access.getClientSecretNamespace();
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new OperatorException(
          "etcd client Secret " + namespace + "/" + name + " not found", false);
    }
    Map<String, String> data = SecretData.decoded(secret);
    if (data.get("ca.crt") == null) {
      throw new ValidationException(
          "etcd client Secret " + namespace + "/" + name + " has no ca.crt");
    }
    if ((data.get("tls.crt") == null) != (data.get("tls.key") == null)) {
      throw new ValidationException(
          "etcd client Secret " + namespace + "/" + name + " needs both tls.crt and tls.key");
    }
    return new EtcdTls(data.get("ca.crt"), data.get("tls.crt"), data.get("tls.key"));
  }

  List<String> endpoints(EtcdSnapshot snapshot) {
    List<String> endpoints = access(snapshot).getEndpoints();
    return endpoints == null ? List.of() : endpoints;
  }

  /** The S3 location of spec.storageLocation.s3, or null. */
  S3Location s3(EtcdSnapshot snapshot) {
    if (snapshot.getSpec().getStorageLocation() == null
        || snapshot.getSpec().getStorageLocation().getS3() == null) {
      return null;
    }
    S3ObjectStore s3 = snapshot.getSpec().getStorageLocation().getS3();
    if (s3.getBucketName() == null || s3.getBucketName().isBlank()) {
      throw new ValidationException("spec.storageLocation.s3.bucketName is empty");
    }
    S3Location.Builder builder =
        S3Location.builder(s3.getBucketName())
            .endpoint(s3.getEndpoint())
            .region(s3.getRegion())
            .folder(s3.getFolder())
            .endpointCA(s3.getEndpointCA())
            .insecureTLSSkipVerify(s3.isInsecureTLSSkipVerifyEffective())
            .credentials(credentials(s3))
            .useHttps(!devMode);
    if (s3.getClientConfig() != null) {
      builder.bucketLookup(BucketLookup.parse(s3.getClientConfig().getBucketLookup()));
    }
    return builder.build();
  }

  private S3Credentials credentials(S3ObjectStore s3) {
    String name = s3.getCredentialSecretName();
    if (name == null || name.isBlank()) {
      return null;
    }
    String namespace =
        s3.getCredentialSecretNamespace() == null || s3.getCredentialSecretNamespace().isBlank()
            ? operatorNamespace
            : s3.getCredentialSecretNamespace();
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new OperatorException(
          "S3 credential Secret " + namespace + "/" + name + " not found", false);
    }
    Map<String, String> data = SecretData.decoded(secret);
    if (data.get("accessKey") == null || data.get("secretKey") == null) {
      throw new ValidationException(
          "S3 credential Secret " + namespace + "/" + name + " needs accessKey and secretKey");
    }
    return new S3Credentials(data.get("accessKey").trim(), data.get("secretKey").trim());
  }
}

package dev.backuprestore.config;

import dev.backuprestore.api.v1.ClientConfig;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.storage.AbandonedUploads;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.BucketLookup;
import dev.backuprestore.storage.DefaultS3Secret;
import dev.backuprestore.storage.LocalDirectoryStore;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a resource's {@code storageLocation} (or its absence) onto a {@link BackupStore}
 * (docs/rancher-compat.md#storage-selection, #default-s3, #restore-location): an explicit S3
 * location; otherwise the operator default, which is the local directory in dev mode or on a PV,
 * else the default S3 Secret.
 */
public class StorageResolver {
  private final KubernetesClient client;
  private final StorageDefaults defaults;

  /** Shared by every store, so that an upload interrupted by an outage is aborted later. */
  private final AbandonedUploads abandonedUploads = new AbandonedUploads();

  public StorageResolver(KubernetesClient client, StorageDefaults defaults) {
    this.client = client;
    this.defaults = defaults;
  }

  /** The store for a Backup; the caller closes it. */
  public BackupStore forBackup(String backupName, StorageLocation location) {
    if (location != null && location.getS3() != null) {
      return s3(fromCustomResource(location.getS3()), true);
    }
    BackupStore store = defaultStore();
    if (store == null) {
      throw new ValidationException(
          "backup "
              + backupName
              + " needs to specify S3 details, or configure storage location at the operator level");
    }
    return store;
  }

  /** The store for a Restore: the spec's S3, else the default S3 (checked first), else the PV. */
  public BackupStore forRestore(StorageLocation location) {
    if (location != null && location.getS3() != null) {
      return s3(fromCustomResource(location.getS3()), false);
    }
    if (!defaults.defaultS3SecretName().isEmpty()) {
      return s3(defaultS3(), false);
    }
    BackupStore store = defaultStore();
    if (store == null) {
      throw new ValidationException(
          "backup location not specified on the restore CR, and not configured at the operator level");
    }
    return store;
  }

  private BackupStore defaultStore() {
    if (defaults.defaultLocalDirectory().isPresent()) {
      return new LocalDirectoryStore(defaults.defaultLocalDirectory().get());
    }
    if (!defaults.defaultS3SecretName().isEmpty()) {
      return s3(defaultS3(), true);
    }
    return null;
  }

  private BackupStore s3(S3Location location, boolean checkBucket) {
    S3Store store = new S3Store(location, abandonedUploads);
    try {
      // HEAD bucket first, like Rancher, so a missing bucket or bad credentials fail clearly.
      store.checkBucket();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** The S3 location an S3ObjectStore names, credentials read from their Secret. */
  public S3Location fromCustomResource(S3ObjectStore s3) {
    S3Credentials credentials =
        credentials(s3.getCredentialSecretName(), s3.getCredentialSecretNamespace());
    ClientConfig clientConfig = s3.getClientConfig();
    S3Location.Builder builder =
        S3Location.builder(s3.getBucketName())
            .endpoint(s3.getEndpoint())
            .region(s3.getRegion())
            .folder(s3.getFolder())
            .endpointCA(s3.getEndpointCA())
            .insecureTLSSkipVerify(s3.isInsecureTLSSkipVerifyEffective())
            .credentials(credentials)
            .useHttps(defaults.useHttps());
    if (clientConfig != null) {
      builder.bucketLookup(BucketLookup.parse(clientConfig.getBucketLookup()));
      if (clientConfig.getAws() != null && clientConfig.getAws().getDualStack() != null) {
        builder.dualStack(clientConfig.getAws().getDualStack());
      }
    }
    return builder.build();
  }

  private S3Location defaultS3() {
    String name = defaults.defaultS3SecretName();
    Secret secret = client.secrets().inNamespace(defaults.chartNamespace()).withName(name).get();
    if (secret == null) {
      throw new OperatorException(
          "the default S3 location Secret "
              + defaults.chartNamespace()
              + "/"
              + name
              + " was not found",
          false);
    }
    DefaultS3Secret parsed = DefaultS3Secret.parse(SecretData.decoded(secret));
    S3Credentials credentials =
        credentials(parsed.credentialSecretName(), parsed.credentialSecretNamespace());
    return parsed.toLocation(credentials, defaults.useHttps());
  }

  /** Credentials from a Secret with accessKey and secretKey; none means the AWS default chain. */
  private S3Credentials credentials(String name, String namespace) {
    if (name == null || name.isBlank()) {
      return null;
    }
    if (namespace == null || namespace.isBlank()) {
      throw new ValidationException(
          "credentialSecretNamespace is empty: name the namespace of the Secret " + name);
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new OperatorException(
          "S3 credential Secret " + namespace + "/" + name + " not found", false);
    }
    Map<String, String> data = SecretData.decoded(secret);
    List<String> missing = new ArrayList<>();
    for (String key : List.of("accessKey", "secretKey")) {
      if (data.get(key) == null || data.get(key).isEmpty()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw new ValidationException(
          "malformed secret "
              + namespace
              + "/"
              + name
              + ": the following keys were not found in the data field: "
              + missing);
    }
    return new S3Credentials(data.get("accessKey").trim(), data.get("secretKey").trim());
  }
}

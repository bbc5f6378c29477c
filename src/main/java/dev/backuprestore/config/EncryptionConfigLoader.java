package dev.backuprestore.config;

import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.EncryptionConfigException;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.OperatorException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Loads the EncryptionConfiguration named by a Backup or Restore from its Secret in the operator
 * namespace (docs/rancher-compat.md#encryption-config). The keys stay in memory: unlike Rancher,
 * nothing is written to disk.
 */
public class EncryptionConfigLoader {
  private final KubernetesClient client;
  private final String namespace;

  public EncryptionConfigLoader(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** The cipher for a Secret name; no name means no encryption. */
  public ObjectCipher load(String secretName) {
    if (secretName == null || secretName.isBlank()) {
      return ObjectCipher.none();
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    if (secret == null) {
      // Not permanent: the Secret may be created after the resource.
      throw new OperatorException(
          "encryption config Secret " + namespace + "/" + secretName + " not found", false);
    }
    try {
      return ObjectCipher.of(EncryptionConfig.fromSecretData(secret.getData()));
    } catch (EncryptionConfigException e) {
      // Name the Secret: the parser's message says what is wrong, not where.
      throw new OperatorException(
          "encryption config Secret " + namespace + "/" + secretName + ": " + e.getMessage(),
          e.isPermanent(),
          e);
    }
  }
}

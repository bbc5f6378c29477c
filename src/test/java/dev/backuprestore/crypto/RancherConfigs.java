package dev.backuprestore.crypto;

import dev.backuprestore.testing.RancherReferenceData;
import java.nio.charset.StandardCharsets;

/**
 * Rancher's EncryptionConfiguration test data ({@code pkg/util/encryptionconfig/testdata/*.yaml}
 * and {@code examples/encryption-provider-config.yaml} of rancher/backup-restore-operator),
 * vendored under {@code src/test/resources/rancher/}.
 */
final class RancherConfigs {
  private RancherConfigs() {}

  static final String WILDCARD =
      RancherReferenceData.text("encryption-testdata/encryption-provider-config-wildcard.yaml");

  static final String PARTIAL_WILDCARD =
      RancherReferenceData.text(
          "encryption-testdata/encryption-provider-config-partial-wildcard.yaml");

  static final String SPECIFIC_RESOURCE =
      RancherReferenceData.text(
          "encryption-testdata/encryption-provider-config-specific-resource.yaml");

  static final String INVALID =
      RancherReferenceData.text("encryption-testdata/encryption-provider-config-invalid.yaml");

  /** examples/encryption-provider-config.yaml: aesgcm key1 writes. */
  static final String EXAMPLE =
      RancherReferenceData.text("examples/encryption-provider-config.yaml");

  static byte[] bytes(String yaml) {
    return yaml.getBytes(StandardCharsets.UTF_8);
  }

  /** A config for {@code resources} with one provider and one key. */
  static String single(String resources, String provider, String keyName, String secret) {
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [%s]
            providers:
              - %s:
                  keys:
                    - name: %s
                      secret: %s
        """
        .formatted(resources, provider, keyName, secret);
  }
}

package dev.backuprestore.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Rancher's EncryptionConfiguration test data, copied verbatim from rancher/backup-restore-operator
 * ({@code pkg/util/encryptionconfig/testdata/*.yaml} and {@code
 * examples/encryption-provider-config.yaml}) so that the tests do not depend on files outside the
 * repository.
 */
final class RancherConfigs {
  private RancherConfigs() {}

  static final String WILDCARD =
      """
      apiVersion: apiserver.config.k8s.io/v1
      kind: EncryptionConfiguration
      resources:
        - resources:
            - "*.*"
          providers:
            - secretbox:
                keys:
                  - name: key1
                    secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=
      """;

  static final String PARTIAL_WILDCARD =
      """
      apiVersion: apiserver.config.k8s.io/v1
      kind: EncryptionConfiguration
      resources:
        - resources:
            - "*.apps"
          providers:
            - secretbox:
                keys:
                  - name: key1
                    secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=
      """;

  static final String SPECIFIC_RESOURCE =
      """
      apiVersion: apiserver.config.k8s.io/v1
      kind: EncryptionConfiguration
      resources:
        - resources:
            - serviceaccounts
          providers:
            - secretbox:
                keys:
                  - name: key1
                    secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=
      """;

  static final String INVALID =
      """
      apiVersion: apiserver.config.k8s.io/v1
      kind: EncryptionConfiguration
      resources:
        - resources:
            - "*.apps"
          providers:
            - secretsboxes:
                keys:
                  - name: key42
                    secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTYPy7H0N=
      """;

  /** examples/encryption-provider-config.yaml: aesgcm key1 writes. */
  static final String EXAMPLE =
      """
      apiVersion: apiserver.config.k8s.io/v1
      kind: EncryptionConfiguration
      resources:
        - resources:
            - secrets
          providers:
            - aesgcm:
                keys:
                  - name: key1
                    secret: c2VjcmV0IGlzIHNlY3VyZQ==
                  - name: key2
                    secret: dGhpcyBpcyBwYXNzd29yZA==
            - aescbc:
                keys:
                  - name: key1
                    secret: c2VjcmV0IGlzIHNlY3VyZQ==
                  - name: key2
                    secret: dGhpcyBpcyBwYXNzd29yZA==
            - secretbox:
                keys:
                  - name: key1
                    secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=
      """;

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

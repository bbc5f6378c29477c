package dev.backuprestore.restore;

import java.nio.charset.StandardCharsets;

/** Encryption configurations for tests (Rancher's example keys; test data only). */
final class EncryptionConfigs {
  private EncryptionConfigs() {}

  static final byte[] AESGCM = config("aesgcm", "key1", "c2VjcmV0IGlzIHNlY3VyZQ==");

  /** Same provider and key name, another key. */
  static final byte[] AESGCM_OTHER_KEY = config("aesgcm", "key1", "dGhpcyBpcyBwYXNzd29yZA==");

  /** Same key bytes under another key name. */
  static final byte[] AESGCM_OTHER_NAME = config("aesgcm", "key2", "c2VjcmV0IGlzIHNlY3VyZQ==");

  /** Another provider. */
  static final byte[] SECRETBOX =
      config("secretbox", "key1", "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=");

  static byte[] config(String provider, String keyName, String secret) {
    return ("""
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: ["*.*"]
            providers:
              - %s:
                  keys:
                    - name: %s
                      secret: %s
        """)
        .formatted(provider, keyName, secret)
        .getBytes(StandardCharsets.UTF_8);
  }
}

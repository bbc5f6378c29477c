package dev.backuprestore.crypto;

import java.util.List;

/**
 * The decoded, not yet validated {@code EncryptionConfiguration}: the Go structs of {@code
 * k8s.io/apiserver/pkg/apis/apiserver/v1}, reduced to what the transformers need.
 */
final class ConfigModel {
  private ConfigModel() {}

  /** One element of {@code resources[]}. */
  record Rule(List<String> resources, List<Provider> providers) {}

  /**
   * One element of {@code providers[]}. {@code types} lists every provider field that was set
   * (valid only when there is exactly one); {@code keys} are the keys of that provider.
   */
  record Provider(List<String> types, List<Key> keys) {
    String type() {
      return types.size() == 1 ? types.get(0) : null;
    }
  }

  /** A named key; the base64 secret never appears in {@link #toString()}. */
  record Key(String name, String secret) {
    @Override
    public String toString() {
      return "Key[name=" + name + ", secret=REDACTED]";
    }
  }
}

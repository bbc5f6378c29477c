package dev.backuprestore.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kubernetes' {@code prefixTransformers}: writes with the first entry and its prefix; reads with
 * every entry whose prefix matches, in order, until one succeeds. Used twice, as in the API server:
 * once over the providers of a rule ({@code k8s:enc:aescbc:v1:} ...) and once over the keys of a
 * provider ({@code key1:} ...).
 */
final class PrefixTransformers implements Transformer {
  /** One transformer and the prefix it owns; an empty prefix marks the identity provider. */
  record Entry(byte[] prefix, Transformer transformer) {
    @Override
    public String toString() {
      return new String(prefix, StandardCharsets.UTF_8) + transformer;
    }
  }

  private final List<Entry> entries;
  private final String noMatchMessage;

  PrefixTransformers(List<Entry> entries, String noMatchMessage) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("at least one transformer is required");
    }
    this.entries = List.copyOf(entries);
    this.noMatchMessage = noMatchMessage;
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] authenticatedData) {
    Entry first = entries.get(0);
    byte[] payload = first.transformer().encrypt(plaintext, authenticatedData);
    byte[] out = new byte[first.prefix().length + payload.length];
    System.arraycopy(first.prefix(), 0, out, 0, first.prefix().length);
    System.arraycopy(payload, 0, out, first.prefix().length, payload.length);
    return out;
  }

  @Override
  public byte[] decrypt(byte[] stored, byte[] authenticatedData) throws GeneralSecurityException {
    List<String> failures = new ArrayList<>();
    for (Entry entry : entries) {
      if (!startsWith(stored, entry.prefix())) {
        continue;
      }
      byte[] rest = Arrays.copyOfRange(stored, entry.prefix().length, stored.length);
      try {
        return entry.transformer().decrypt(rest, authenticatedData);
      } catch (GeneralSecurityException e) {
        // An identity provider placed before the real ones (migrating away from encryption)
        // must not hide them; and two providers may share a prefix during key rotation, so
        // a failure never short-circuits the search.
        if (entry.prefix().length > 0) {
          failures.add(e.getMessage());
        }
      }
    }
    if (failures.isEmpty()) {
      throw new GeneralSecurityException(noMatchMessage);
    }
    throw new GeneralSecurityException(
        failures.size() == 1 ? failures.get(0) : "[" + String.join(", ", failures) + "]");
  }

  static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}

package dev.backuprestore.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What an encrypted archive entry says about itself without any key: the provider and the key name
 * of its {@code k8s:enc:<provider>:v1:<key>:} prefix (see {@link ObjectCipher}). For {@code
 * inspect}: which entries need which key.
 *
 * @param provider e.g. {@code aescbc}, {@code aesgcm}, {@code secretbox}
 * @param keyName the key's name in the EncryptionConfiguration
 */
public record Envelope(String provider, String keyName) {
  private static final String PREFIX = "k8s:enc:";

  /** The envelope of an entry's content; empty for plain JSON (or anything else). */
  public static Optional<Envelope> of(byte[] content) {
    if (content == null || content.length < 2 || content[0] != '"') {
      return Optional.empty();
    }
    // The prefix is at most ~100 bytes of plaintext: decode just enough base64 to read it.
    int end = Math.min(content.length - 1, 1 + 4 * 64);
    String head = new String(content, 1, end - 1, StandardCharsets.US_ASCII);
    head = head.substring(0, head.length() - head.length() % 4).replace("\\/", "/");
    byte[] decoded;
    try {
      decoded = java.util.Base64.getDecoder().decode(head);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String text = new String(decoded, StandardCharsets.ISO_8859_1);
    if (!text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = text.substring(PREFIX.length()).split(":", 4);
    if (parts.length < 4 || !parts[1].equals("v1")) {
      return Optional.empty();
    }
    return Optional.of(new Envelope(parts[0], parts[2]));
  }
}

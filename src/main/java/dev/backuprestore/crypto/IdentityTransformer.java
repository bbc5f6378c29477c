package dev.backuprestore.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Kubernetes' "encrypt check" identity transformer: writes the plaintext unchanged and refuses to
 * read data that starts with {@code k8s:enc:}, so encrypted data is never mistaken for plaintext.
 */
final class IdentityTransformer implements Transformer {
  static final IdentityTransformer INSTANCE = new IdentityTransformer();

  private static final byte[] ENCRYPTED_PREFIX = "k8s:enc:".getBytes(StandardCharsets.US_ASCII);

  private IdentityTransformer() {}

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] authenticatedData) {
    return plaintext;
  }

  @Override
  public byte[] decrypt(byte[] stored, byte[] authenticatedData) throws GeneralSecurityException {
    if (PrefixTransformers.startsWith(stored, ENCRYPTED_PREFIX)) {
      throw new GeneralSecurityException("identity transformer tried to read encrypted data");
    }
    return stored;
  }

  @Override
  public String toString() {
    return "identity";
  }
}

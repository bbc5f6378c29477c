package dev.backuprestore.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/** The {@code secretbox} provider for one key: payload = 24-byte random nonce || secretbox. */
final class SecretboxTransformer implements Transformer {
  private final byte[] key;
  private final NonceSource nonceSource;

  SecretboxTransformer(byte[] key, NonceSource nonceSource) {
    if (key.length != NaclSecretBox.KEY_SIZE) {
      throw new IllegalArgumentException("secretbox needs a 32-byte key");
    }
    this.key = key.clone();
    this.nonceSource = nonceSource;
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] authenticatedData) {
    byte[] nonce = new byte[NaclSecretBox.NONCE_SIZE];
    nonceSource.fill(nonce);
    byte[] box = NaclSecretBox.seal(key, nonce, plaintext);
    byte[] out = new byte[nonce.length + box.length];
    System.arraycopy(nonce, 0, out, 0, nonce.length);
    System.arraycopy(box, 0, out, nonce.length, box.length);
    return out;
  }

  @Override
  public byte[] decrypt(byte[] stored, byte[] authenticatedData) throws GeneralSecurityException {
    if (stored.length < NaclSecretBox.NONCE_SIZE + NaclSecretBox.OVERHEAD) {
      throw new GeneralSecurityException("the stored data was shorter than the required size");
    }
    byte[] nonce = Arrays.copyOf(stored, NaclSecretBox.NONCE_SIZE);
    byte[] message =
        NaclSecretBox.open(
            key, nonce, stored, nonce.length, stored.length - NaclSecretBox.NONCE_SIZE);
    if (message == null) {
      throw new GeneralSecurityException("secretbox: message authentication failed");
    }
    return message;
  }

  @Override
  public String toString() {
    return "secretbox";
  }
}

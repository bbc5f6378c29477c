package dev.backuprestore.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code aesgcm} provider for one key: payload = 12-byte random nonce || ciphertext || 16-byte
 * tag, authenticated together with the caller's authenticated data.
 */
final class AesGcmTransformer implements Transformer {
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final NonceSource nonceSource;

  AesGcmTransformer(byte[] key, NonceSource nonceSource) {
    this.key = new SecretKeySpec(key, "AES");
    this.nonceSource = nonceSource;
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] authenticatedData) {
    byte[] nonce = new byte[NONCE];
    nonceSource.fill(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(authenticatedData);
      byte[] out = new byte[NONCE + cipher.getOutputSize(plaintext.length)];
      System.arraycopy(nonce, 0, out, 0, NONCE);
      int written = cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE);
      if (written != out.length - NONCE) {
        throw new IllegalStateException("unexpected AES-GCM output size");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] stored, byte[] authenticatedData) throws GeneralSecurityException {
    if (stored.length < NONCE) {
      throw new GeneralSecurityException("the stored data was shorter than the required size");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE));
    cipher.updateAAD(authenticatedData);
    try {
      return cipher.doFinal(stored, NONCE, stored.length - NONCE);
    } catch (GeneralSecurityException e) {
      // Same text as Go's crypto/cipher, whatever the JCE provider says.
      throw new GeneralSecurityException("cipher: message authentication failed");
    }
  }

  @Override
  public String toString() {
    return "aesgcm";
  }
}

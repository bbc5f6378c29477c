package dev.backuprestore.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code aescbc} provider for one key: payload = 16-byte random IV || AES-CBC ciphertext with
 * PKCS#7 padding. Padding is done by hand so that reading accepts exactly what Kubernetes' Go code
 * accepts.
 */
final class AesCbcTransformer implements Transformer {
  private static final int BLOCK = 16;

  private final SecretKeySpec key;
  private final NonceSource ivSource;

  AesCbcTransformer(byte[] key, NonceSource ivSource) {
    this.key = new SecretKeySpec(key, "AES");
    this.ivSource = ivSource;
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] authenticatedData) {
    int padding = BLOCK - plaintext.length % BLOCK;
    byte[] padded = Arrays.copyOf(plaintext, plaintext.length + padding);
    Arrays.fill(padded, plaintext.length, padded.length, (byte) padding);
    byte[] out = new byte[BLOCK + padded.length];
    byte[] iv = new byte[BLOCK];
    ivSource.fill(iv);
    System.arraycopy(iv, 0, out, 0, BLOCK);
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      cipher.doFinal(padded, 0, padded.length, out, BLOCK);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC encryption failed", e);
    } finally {
      Arrays.fill(padded, (byte) 0);
    }
    return out;
  }

  @Override
  public byte[] decrypt(byte[] stored, byte[] authenticatedData) throws GeneralSecurityException {
    if (stored.length < BLOCK) {
      throw new GeneralSecurityException("the stored data was shorter than the required size");
    }
    int length = stored.length - BLOCK;
    if (length % BLOCK != 0) {
      throw new GeneralSecurityException("the stored data is not a multiple of the block size");
    }
    if (length == 0) {
      throw new GeneralSecurityException("invalid PKCS7 data (empty or not padded)");
    }
    Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(stored, 0, BLOCK));
    byte[] result = cipher.doFinal(stored, BLOCK, length);
    int padding = result[result.length - 1] & 0xff;
    // Same checks as Go: any pad length up to the data length, every pad byte equal.
    if (padding == 0 || padding > result.length) {
      throw new GeneralSecurityException("invalid PKCS7 data (empty or not padded)");
    }
    for (int i = result.length - padding; i < result.length; i++) {
      if ((result[i] & 0xff) != padding) {
        throw new GeneralSecurityException("invalid padding on input");
      }
    }
    return Arrays.copyOf(result, result.length - padding);
  }

  @Override
  public String toString() {
    return "aescbc";
  }
}

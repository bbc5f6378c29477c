package dev.backuprestore.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20 + Poly1305), as Go's {@code
 * golang.org/x/crypto/nacl/secretbox}: the output is the 16-byte tag followed by the ciphertext.
 *
 * <p>XSalsa20 with the 24-byte nonce gives one keystream; its first 32 bytes are the one-time
 * Poly1305 key, the rest encrypts the message, and the tag covers the ciphertext.
 */
final class NaclSecretBox {
  static final int KEY_SIZE = 32;
  static final int NONCE_SIZE = 24;
  static final int OVERHEAD = 16;

  private NaclSecretBox() {}

  /** Returns tag(16) || ciphertext. */
  static byte[] seal(byte[] key, byte[] nonce, byte[] message) {
    XSalsa20Engine stream = keystream(key, nonce);
    byte[] out = new byte[OVERHEAD + message.length];
    byte[] macKey = nextKeystream(stream);
    try {
      stream.processBytes(message, 0, message.length, out, OVERHEAD);
      tag(macKey, out, OVERHEAD, message.length, out, 0);
    } finally {
      Arrays.fill(macKey, (byte) 0);
    }
    return out;
  }

  /** Returns the message, or {@code null} when the box is too short or its tag does not match. */
  static byte[] open(byte[] key, byte[] nonce, byte[] box, int offset, int length) {
    if (length < OVERHEAD) {
      return null;
    }
    XSalsa20Engine stream = keystream(key, nonce);
    byte[] macKey = nextKeystream(stream);
    byte[] expected = new byte[OVERHEAD];
    try {
      tag(macKey, box, offset + OVERHEAD, length - OVERHEAD, expected, 0);
    } finally {
      Arrays.fill(macKey, (byte) 0);
    }
    byte[] actual = Arrays.copyOfRange(box, offset, offset + OVERHEAD);
    if (!MessageDigest.isEqual(expected, actual)) {
      return null;
    }
    byte[] message = new byte[length - OVERHEAD];
    stream.processBytes(box, offset + OVERHEAD, message.length, message, 0);
    return message;
  }

  private static XSalsa20Engine keystream(byte[] key, byte[] nonce) {
    if (key.length != KEY_SIZE || nonce.length != NONCE_SIZE) {
      throw new IllegalArgumentException("secretbox needs a 32-byte key and a 24-byte nonce");
    }
    XSalsa20Engine engine = new XSalsa20Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return engine;
  }

  /** The first 32 keystream bytes: the Poly1305 one-time key (r || s). */
  private static byte[] nextKeystream(XSalsa20Engine stream) {
    byte[] macKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, macKey, 0);
    return macKey;
  }

  private static void tag(byte[] macKey, byte[] in, int inOff, int len, byte[] out, int outOff) {
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(in, inOff, len);
    mac.doFinal(out, outOff);
  }
}

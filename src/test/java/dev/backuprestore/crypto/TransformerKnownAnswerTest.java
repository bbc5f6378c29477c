package dev.backuprestore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Fixed vectors for the AES providers, computed independently with Python's {@code cryptography}
 * 48.0.0 (OpenSSL):
 *
 * <pre>
 * key = b"0123456789abcdef0123456789abcdef"; iv = bytes(range(16)); nonce = bytes(range(12))
 * CBC:  iv + Cipher(AES(key), CBC(iv)).encryptor() over PKCS7(128)-padded plaintext
 * GCM:  nonce + AESGCM(key).encrypt(nonce, plaintext, aad)
 * </pre>
 */
class TransformerKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY_32 = ascii("0123456789abcdef0123456789abcdef");
  private static final byte[] PLAINTEXT =
      ascii("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"foo\"}}");

  private static final String CBC_32 =
      "000102030405060708090a0b0c0d0e0f153ec1261830c651086cf59fce58e8b8d38f2bd548611fcb6170c2de"
          + "07b407bcce322e8477a067652b252d1f6c024ff8";

  /** 16-byte key, 32-byte plaintext: block-aligned, so a whole block of 0x10 is appended. */
  private static final byte[] ALIGNED = ascii("{\"a\":\"0123456789abcdef01234567\"}");

  private static final String CBC_16_ALIGNED =
      "000102030405060708090a0b0c0d0e0fcaeec9e58e92ec3e8916a57fb73006922acd957d9824c30043a15bfc"
          + "f299ff21e17e17de28ba70357b4079baaa6d9407";

  /** AAD "cattle-system#foo" (a namespaced object). */
  private static final String GCM_32 =
      "000102030405060708090a0b56c7d015b77cf0968a8f14dd03aaa526ca2a6ee248dd10ea54bd998ec307c2e5"
          + "d0ce14246bd3787fb358c692f444d432c36622a3f894a2994f3b49";

  /** 24-byte key, AAD "foo" (a cluster-scoped object). */
  private static final String GCM_24 =
      "000102030405060708090a0bd439c95af79662c53edb7662cbe3e82adedb54713da3de9cd7f47c8532706e46"
          + "4e0e6492b3a8f43fc198c8e5d1e68e2b1eeead16c76b9e3f8f1c28";

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] prefix(byte[] key, int length) {
    return java.util.Arrays.copyOf(key, length);
  }

  @Test
  void aesCbcEncryptsToTheReferenceBytes() throws Exception {
    AesCbcTransformer cbc = new AesCbcTransformer(KEY_32, FixedNonces.counting());

    assertThat(HEX.formatHex(cbc.encrypt(PLAINTEXT, new byte[0]))).isEqualTo(CBC_32);
    assertThat(cbc.decrypt(HEX.parseHex(CBC_32), new byte[0])).isEqualTo(PLAINTEXT);
  }

  @Test
  void aesCbcAddsAWholePaddingBlockToAlignedPlaintext() throws Exception {
    AesCbcTransformer cbc = new AesCbcTransformer(prefix(KEY_32, 16), FixedNonces.counting());

    assertThat(HEX.formatHex(cbc.encrypt(ALIGNED, new byte[0]))).isEqualTo(CBC_16_ALIGNED);
    assertThat(cbc.decrypt(HEX.parseHex(CBC_16_ALIGNED), new byte[0])).isEqualTo(ALIGNED);
  }

  @Test
  void aesCbcRejectsMalformedPayloads() {
    AesCbcTransformer cbc = new AesCbcTransformer(KEY_32, FixedNonces.counting());
    byte[] good = HEX.parseHex(CBC_32);

    assertThatThrownBy(() -> cbc.decrypt(java.util.Arrays.copyOf(good, 15), new byte[0]))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("shorter than the required size");
    assertThatThrownBy(() -> cbc.decrypt(java.util.Arrays.copyOf(good, 16), new byte[0]))
        .hasMessageContaining("invalid PKCS7 data");
    assertThatThrownBy(() -> cbc.decrypt(java.util.Arrays.copyOf(good, 40), new byte[0]))
        .hasMessageContaining("not a multiple of the block size");
    assertThatThrownBy(
            () -> new AesCbcTransformer(prefix(KEY_32, 16), null).decrypt(good, new byte[0]))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void aesGcmEncryptsToTheReferenceBytesWithTheAad() throws Exception {
    AesGcmTransformer gcm = new AesGcmTransformer(KEY_32, FixedNonces.counting());
    byte[] aad = ascii("cattle-system#foo");

    assertThat(HEX.formatHex(gcm.encrypt(PLAINTEXT, aad))).isEqualTo(GCM_32);
    assertThat(gcm.decrypt(HEX.parseHex(GCM_32), aad)).isEqualTo(PLAINTEXT);
  }

  @Test
  void aesGcmWith24ByteKeyDecryptsTheReference() throws Exception {
    AesGcmTransformer gcm = new AesGcmTransformer(prefix(KEY_32, 24), FixedNonces.counting());

    assertThat(gcm.decrypt(HEX.parseHex(GCM_24), ascii("foo"))).isEqualTo(PLAINTEXT);
    assertThat(HEX.formatHex(gcm.encrypt(PLAINTEXT, ascii("foo")))).isEqualTo(GCM_24);
  }

  @Test
  void aesGcmRejectsAnotherAadOrATamperedTag() {
    AesGcmTransformer gcm = new AesGcmTransformer(KEY_32, FixedNonces.counting());
    byte[] tampered = HEX.parseHex(GCM_32);
    tampered[tampered.length - 1] ^= 1;

    assertThatThrownBy(() -> gcm.decrypt(HEX.parseHex(GCM_32), ascii("other#foo")))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("cipher: message authentication failed");
    assertThatThrownBy(() -> gcm.decrypt(tampered, ascii("cattle-system#foo")))
        .hasMessage("cipher: message authentication failed");
    assertThatThrownBy(() -> gcm.decrypt(new byte[11], new byte[0]))
        .hasMessageContaining("shorter than the required size");
  }

  @Test
  void secretboxPayloadIsNonceThenNaclBox() throws Exception {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) 1);
    SecretboxTransformer secretbox = new SecretboxTransformer(key, FixedNonces.counting());
    byte[] nonce = new byte[24];
    FixedNonces.counting().fill(nonce);

    byte[] payload = secretbox.encrypt(PLAINTEXT, new byte[0]);

    assertThat(java.util.Arrays.copyOf(payload, 24)).isEqualTo(nonce);
    assertThat(java.util.Arrays.copyOfRange(payload, 24, payload.length))
        .isEqualTo(NaclSecretBox.seal(key, nonce, PLAINTEXT));
    assertThat(secretbox.decrypt(payload, new byte[0])).isEqualTo(PLAINTEXT);
    assertThatThrownBy(() -> secretbox.decrypt(new byte[39], new byte[0]))
        .hasMessageContaining("shorter than the required size");
  }
}

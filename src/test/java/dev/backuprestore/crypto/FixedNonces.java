package dev.backuprestore.crypto;

import java.util.HexFormat;

/** A nonce source that always yields the same leading bytes, for known-answer tests. */
final class FixedNonces implements NonceSource {
  private final byte[] bytes;

  FixedNonces(String hex) {
    this.bytes = HexFormat.of().parseHex(hex);
  }

  /** 00 01 02 ... 17: enough for IVs (16), GCM nonces (12) and secretbox nonces (24). */
  static FixedNonces counting() {
    return new FixedNonces("000102030405060708090a0b0c0d0e0f1011121314151617");
  }

  @Override
  public void fill(byte[] nonce) {
    System.arraycopy(bytes, 0, nonce, 0, nonce.length);
  }
}

package dev.backuprestore.crypto;

import java.security.SecureRandom;

/** Fills IVs and nonces. Random in production; fixed in known-answer tests. */
@FunctionalInterface
interface NonceSource {
  void fill(byte[] nonce);

  static NonceSource secureRandom() {
    SecureRandom random = new SecureRandom();
    return random::nextBytes;
  }
}

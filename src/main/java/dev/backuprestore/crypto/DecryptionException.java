package dev.backuprestore.crypto;

import dev.backuprestore.kube.OperatorException;

/**
 * An archived object could not be turned back into JSON: wrong or missing keys, a corrupted
 * payload, or an empty file. Permanent: retrying with the same configuration cannot succeed.
 */
public class DecryptionException extends OperatorException {
  public DecryptionException(String message) {
    super(message, true);
  }

  public DecryptionException(String message, Throwable cause) {
    super(message, true, cause);
  }
}

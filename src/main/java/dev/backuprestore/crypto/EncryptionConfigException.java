package dev.backuprestore.crypto;

import dev.backuprestore.kube.OperatorException;

/**
 * The encryption configuration is missing or invalid. Permanent: the user has to fix the Secret.
 * The message names the offending field but never contains key material.
 */
public class EncryptionConfigException extends OperatorException {
  public EncryptionConfigException(String message) {
    super(message, true);
  }
}

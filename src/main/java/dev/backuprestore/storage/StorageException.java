package dev.backuprestore.storage;

import dev.backuprestore.kube.OperatorException;

/**
 * A storage operation failed. Permanent when retrying cannot help without a change by the user
 * (missing bucket, access denied, missing file, invalid configuration); transient when the store
 * was unreachable or answered with a server error.
 */
public class StorageException extends OperatorException {

  public StorageException(String message, boolean permanent) {
    super(message, permanent);
  }

  public StorageException(String message, boolean permanent, Throwable cause) {
    super(message, permanent, cause);
  }

  public static StorageException permanent(String message) {
    return new StorageException(message, true);
  }

  public static StorageException permanent(String message, Throwable cause) {
    return new StorageException(message, true, cause);
  }

  public static StorageException transientFailure(String message, Throwable cause) {
    return new StorageException(message, false, cause);
  }
}

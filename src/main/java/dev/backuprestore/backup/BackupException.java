package dev.backuprestore.backup;

import dev.backuprestore.kube.OperatorException;

/** A backup failed while writing its archive; nothing was left in the store. */
public class BackupException extends OperatorException {
  public BackupException(String message, boolean permanent, Throwable cause) {
    super(message, permanent, cause);
  }
}

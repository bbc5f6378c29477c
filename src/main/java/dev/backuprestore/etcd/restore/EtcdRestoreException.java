package dev.backuprestore.etcd.restore;

import dev.backuprestore.kube.OperatorException;

/**
 * The etcd restore refused to go on or failed. The message says which step, which file or member,
 * and what to do; it never holds key material. Every refusal happens before the data directory is
 * touched, so the old data directory is intact whenever this is thrown.
 */
public class EtcdRestoreException extends OperatorException {
  private final Step step;

  /** The step that refused or failed, for the CLI's report and exit code. */
  public enum Step {
    FETCH,
    VERIFY,
    MEMBERS,
    ETCD_RUNNING,
    RESTORE,
    SWAP
  }

  public EtcdRestoreException(Step step, String message) {
    super(message, true);
    this.step = step;
  }

  public EtcdRestoreException(Step step, String message, Throwable cause) {
    super(message, true, cause);
    this.step = step;
  }

  public Step step() {
    return step;
  }
}

package dev.backuprestore.kube;

/**
 * Base of the operator's typed exceptions. The message says what failed and on which object; it
 * lands in the resource's status as is, so it never contains secret data or keys.
 *
 * <p>{@link #isPermanent()} tells the reconcilers whether retrying can help: a permanent failure
 * (bad archive, wrong key, invalid spec, missing bucket) sets {@code Stalled} and stops retrying; a
 * transient one (API server or S3 unavailable, conflicts) is retried with capped backoff.
 */
public class OperatorException extends RuntimeException {
  private final boolean permanent;

  public OperatorException(String message, boolean permanent) {
    super(message);
    this.permanent = permanent;
  }

  public OperatorException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  /** True when retrying the same operation cannot succeed without a change by the user. */
  public boolean isPermanent() {
    return permanent;
  }
}

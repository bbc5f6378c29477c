package dev.backuprestore.restore;

import dev.backuprestore.kube.OperatorException;
import java.util.List;

/**
 * A restore run failed after it started changing the cluster: objects could not be restored
 * (without ignoreErrors), prune could not delete objects, or the API server became unavailable.
 * Controllers were scaled back up before this was thrown. The message names the first objects and
 * the API server's reasons; {@link #result()} has the counts. Permanent only when every failure is
 * (e.g. all objects invalid); otherwise a retry may succeed.
 */
public class RestoreFailedException extends OperatorException {
  private final transient RestoreResult result;

  public RestoreFailedException(String message, boolean permanent, RestoreResult result) {
    super(message, permanent);
    this.result = result;
  }

  public RestoreFailedException(
      String message, boolean permanent, RestoreResult result, Throwable cause) {
    super(message, permanent, cause);
    this.result = result;
  }

  /** The counts and first failures of the failed run. */
  public RestoreResult result() {
    return result;
  }

  /** "3 objects failed: a: reason; b: reason; c: reason" (at most five named). */
  static String describe(String what, long count, List<ObjectFailure> failures) {
    StringBuilder message =
        new StringBuilder()
            .append(count)
            .append(count == 1 ? " object " : " objects ")
            .append(what)
            .append(": ");
    int shown = Math.min(5, failures.size());
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        message.append("; ");
      }
      message.append(failures.get(i));
    }
    if (count > shown) {
      message.append("; ...");
    }
    return message.toString();
  }
}

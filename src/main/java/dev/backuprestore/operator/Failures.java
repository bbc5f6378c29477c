package dev.backuprestore.operator;

import dev.backuprestore.kube.OperatorException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns any exception into the message shown in status and whether retrying can help. */
final class Failures {
  private Failures() {}

  /** The innermost operator exception, or null. */
  static OperatorException operatorException(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof OperatorException operatorException) {
        return operatorException;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  static boolean isPermanent(Throwable error) {
    OperatorException known = operatorException(error);
    return known != null && known.isPermanent();
  }

  /** A specific, single-line message; never "check logs". */
  static String message(Throwable error) {
    OperatorException known = operatorException(error);
    if (known != null) {
      return known.getMessage();
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException kce) {
        String reason = kce.getStatus() != null ? kce.getStatus().getMessage() : kce.getMessage();
        return "Kubernetes API error (HTTP " + kce.getCode() + "): " + reason;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return text.replace('\n', ' ');
  }
}

package dev.backuprestore.operator;

import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.kube.OperatorException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Turns any exception into the message shown in status and the one verdict the state machine needs
 * (docs/controller-lifecycle.md): does the failure need the user before a retry can succeed?
 *
 * <p>The rule: a failure <em>needs user action</em> when the engine says it is permanent (invalid
 * spec, malformed or wrong Secret, a missing bucket or archive, S3 access denied, a corrupt
 * archive, a wrong key) or when the Kubernetes API refused us (401/403: RBAC). S3 403 and
 * Kubernetes 403 are therefore treated alike. Everything else (connections, timeouts, 5xx, 409,
 * 429, inputs that do not exist yet and are watched) is transient and retried with backoff.
 */
final class Failures {
  private static final int UNAUTHORIZED = 401;
  private static final int FORBIDDEN = 403;

  private Failures() {}

  /** True when retrying cannot help until the user changes something (see the class comment). */
  static boolean needsUserAction(Throwable error) {
    if (isPermanent(error)) {
      return true;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      int code =
          t instanceof KubeApiException api
              ? api.statusCode()
              : t instanceof KubernetesClientException kce ? kce.getCode() : 0;
      if (code == UNAUTHORIZED || code == FORBIDDEN) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

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

package dev.backuprestore.kube;

/**
 * A request to the Kubernetes API server failed. {@link #statusCode()} is the HTTP status, or 0
 * when no response arrived (connection refused, timeout, interrupted).
 *
 * <p>Only 400 (Bad Request, e.g. a field selector the resource does not support) and 422
 * (Unprocessable) are permanent: the same request cannot succeed until the user changes it.
 * Everything else, including 401/403 (RBAC may be fixed or still propagating), 404, 409, 410 (an
 * expired continue token), 429 and 5xx, is transient and worth retrying.
 */
public class KubeApiException extends OperatorException {
  private final int statusCode;

  public KubeApiException(String message, int statusCode, Throwable cause) {
    super(message, isPermanentStatus(statusCode), cause);
    this.statusCode = statusCode;
  }

  public KubeApiException(String message, int statusCode) {
    this(message, statusCode, null);
  }

  /** The HTTP status code, or 0 when the server did not answer. */
  public int statusCode() {
    return statusCode;
  }

  public boolean isNotFound() {
    return statusCode == 404;
  }

  static boolean isPermanentStatus(int statusCode) {
    return statusCode == 400 || statusCode == 422;
  }
}

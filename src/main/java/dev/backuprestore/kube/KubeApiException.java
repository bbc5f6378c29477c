package dev.backuprestore.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

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
  private static final ObjectMapper MAPPER = new ObjectMapper();
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

  /**
   * "422 Invalid: Deployment.apps "x" is invalid: ...": the code, and the reason and message of a
   * Status body when the body is one.
   */
  public static String statusText(int code, byte[] body) {
    StringBuilder text = new StringBuilder().append(code);
    try {
      JsonNode status = body == null ? null : MAPPER.readTree(body);
      if (status != null && status.isObject()) {
        String reason = status.path("reason").asText("");
        String message = status.path("message").asText("");
        if (!reason.isEmpty()) {
          text.append(' ').append(reason);
        }
        if (!message.isEmpty()) {
          text.append(": ").append(message);
        }
      }
    } catch (IOException | RuntimeException notAStatus) {
      // The body is not a Status object (e.g. a proxy's HTML page); the code alone must do.
    }
    return text.toString();
  }

  static boolean isPermanentStatus(int statusCode) {
    return statusCode == 400 || statusCode == 422;
  }
}

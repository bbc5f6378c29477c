package dev.backuprestore.storage;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps SDK failures to {@link StorageException}s with a message that says what failed, where, and
 * what to check, and a permanent/transient verdict. Messages name the bucket, the key and the
 * redacted access key; never the secret key.
 */
final class S3Errors {
  private static final int FORBIDDEN = 403;
  private static final int NOT_FOUND = 404;

  private S3Errors() {}

  /**
   * @param what what was attempted, e.g. "failed to upload backup file [x]"
   */
  static StorageException map(String what, SdkException e, S3Location location) {
    if (e instanceof AwsServiceException service) {
      return serviceFailure(what, service, location);
    }
    // An untrusted or mismatching certificate needs a configuration change; a connection reset
    // during a handshake (server restarting) is transient and falls through.
    if (causedBy(e, CertificateException.class) || causedBy(e, SSLPeerUnverifiedException.class)) {
      return StorageException.permanent(
          what
              + ": TLS connection to "
              + location.describe()
              + " failed ("
              + rootMessage(e)
              + "); check endpointCA or insecureTLSSkipVerify",
          e);
    }
    if (e instanceof SdkClientException && isCredentialsLookupFailure(e)) {
      return StorageException.transientFailure(
          what
              + ": no S3 credentials found for "
              + location.describe()
              + "; set credentialSecretName or give the operator an IAM role",
          e);
    }
    return StorageException.transientFailure(
        what + ": cannot reach " + location.describe() + ": " + rootMessage(e), e);
  }

  /** The result of the HEAD bucket check: Rancher's "not found" message, or a clear denial. */
  static StorageException bucketCheckFailure(SdkException e, S3Location location) {
    String bucket = location.bucketName();
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      if (status == NOT_FOUND) {
        return StorageException.permanent("s3 bucket [" + bucket + "] not found", e);
      }
      if (status == FORBIDDEN) {
        return StorageException.permanent(
            "access denied to s3 bucket ["
                + bucket
                + "] at "
                + endpointOf(location)
                + " with "
                + credentialsOf(location)
                + ": check the credentials and that they allow s3:ListBucket",
            e);
      }
    }
    return map("failed to check if s3 bucket [" + bucket + "] exists", e, location);
  }

  private static StorageException serviceFailure(
      String what, AwsServiceException e, S3Location location) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String detail = "HTTP " + status + (code == null || code.isEmpty() ? "" : " " + code);
    if (status == FORBIDDEN) {
      return StorageException.permanent(
          what
              + ": access denied ("
              + detail
              + ") by "
              + location.describe()
              + " with "
              + credentialsOf(location)
              + "; check the credentials and the bucket policy",
          e);
    }
    // Other client errors (400 wrong region or malformed request, 404 no such bucket, 409...)
    // do not go away by retrying; throttling, timeouts and server errors do.
    boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return new StorageException(
        what
            + ": "
            + location.describe()
            + " answered "
            + detail
            + (message == null || message.isEmpty() ? "" : ": " + message),
        permanent,
        e);
  }

  private static String endpointOf(S3Location location) {
    return location.endpoint().isEmpty() ? S3Endpoints.AWS_GLOBAL_HOST : location.endpoint();
  }

  private static String credentialsOf(S3Location location) {
    S3Credentials credentials = location.credentials();
    return credentials == null
        ? "credentials from the default AWS chain (IAM role)"
        : "access key [" + credentials.redactedAccessKey() + "]";
  }

  private static boolean isCredentialsLookupFailure(Throwable e) {
    String message = e.getMessage();
    return message != null && message.contains("Unable to load credentials");
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

package dev.backuprestore.storage;

/**
 * Static S3 credentials, read by the operator from the Secret named by {@code credentialSecretName}
 * (keys {@code accessKey} and {@code secretKey}). {@link #toString()} never shows the secret key
 * and shows the access key only redacted.
 */
public record S3Credentials(String accessKey, String secretKey) {
  private static final String REDACTED = "[REDACTED]";

  /** Keys shorter than this are hidden completely; longer ones keep a recognisable prefix. */
  private static final int MIN_LENGTH_TO_SHOW_PREFIX = 20;

  private static final int SHOWN_PREFIX = 5;

  public S3Credentials {
    if (accessKey == null || accessKey.isEmpty() || secretKey == null || secretKey.isEmpty()) {
      throw StorageException.permanent("s3 credentials need both an accessKey and a secretKey");
    }
  }

  /**
   * The access key in a form fit for logs and status messages: keys of at least 20 characters (AWS
   * key ids are 20) keep their first 5 characters so an operator can tell which key was used, as
   * Rancher does; shorter keys are hidden completely.
   */
  public static String redactAccessKey(String accessKey) {
    if (accessKey == null || accessKey.length() < MIN_LENGTH_TO_SHOW_PREFIX) {
      return REDACTED;
    }
    return accessKey.substring(0, SHOWN_PREFIX) + REDACTED;
  }

  /** The access key as {@link #redactAccessKey(String)} shows it. */
  public String redactedAccessKey() {
    return redactAccessKey(accessKey);
  }

  @Override
  public String toString() {
    return "S3Credentials[accessKey=" + redactedAccessKey() + ", secretKey=" + REDACTED + "]";
  }
}

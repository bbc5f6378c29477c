package dev.backuprestore.storage;

import java.util.Locale;

/**
 * How the bucket is addressed, as in Rancher's {@code clientConfig.bucketLookup}: {@code path}
 * ({@code https://host/bucket/key}), {@code dns} ({@code https://bucket.host/key}) or {@code auto}
 * (virtual-host for AWS and Google endpoints, path-style for everything else, e.g. MinIO, IPs).
 */
public enum BucketLookup {
  AUTO,
  DNS,
  PATH;

  /**
   * Parses {@code auto}, {@code dns} or {@code path}, ignoring case and surrounding blanks.
   *
   * @return null for a null or blank value (not set: the endpoint decides)
   * @throws StorageException permanent for any other value
   */
  public static BucketLookup parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw StorageException.permanent(
          "invalid clientConfig.bucketLookup [" + value + "]: expected auto, dns or path");
    }
  }
}

package dev.backuprestore.storage;

import java.util.Map;
import java.util.Objects;

/**
 * What an upload says about its object besides the bytes: the content type and user metadata (S3
 * {@code x-amz-meta-*}, e.g. {@code sha256}). Stores without object metadata (a local directory)
 * ignore it; callers that need the values there write a sidecar file.
 *
 * @param contentType e.g. {@code application/zip}
 * @param metadata user metadata; keys lower-case ASCII, values without secrets
 */
public record ObjectAttributes(String contentType, Map<String, String> metadata) {
  /** Backup archives: gzip, no metadata. */
  public static final ObjectAttributes GZIP = new ObjectAttributes("application/gzip", Map.of());

  public ObjectAttributes {
    Objects.requireNonNull(contentType, "contentType");
    metadata = Map.copyOf(metadata);
  }
}

package dev.backuprestore.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * One archive in a store.
 *
 * @param name the file name relative to the store's folder (what {@link BackupStore#open} and
 *     {@link BackupStore#delete} take)
 * @param size the size in bytes
 * @param lastModified the file's mtime (local directory) or the object's LastModified (S3); the
 *     order retention uses
 */
public record StoredObject(String name, long size, Instant lastModified) {
  public StoredObject {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastModified, "lastModified");
  }
}

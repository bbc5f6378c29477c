package dev.backuprestore.archive;

/**
 * One regular file read from an archive: either an object ({@link #object()} non-null) or the
 * ResourceSet copy {@code filters/filters.json}. The content array is handed over, not copied.
 *
 * @param path the entry path as stored
 * @param object the parsed object path, or {@code null} for {@code filters/filters.json}
 * @param content the entry body, never empty
 */
public record ArchiveEntry(String path, ObjectPath object, byte[] content) {

  /** True for {@code filters/filters.json}. */
  public boolean isFilters() {
    return object == null;
  }
}

package dev.backuprestore.storage;

import java.io.InputStream;
import java.util.List;

/**
 * A place where backup archives are stored: an S3 bucket (optionally under a folder) or a local
 * directory (the chart's PVC at {@code /var/lib/backups}). File names never contain the folder; the
 * store owns the mapping from file name to object key or path.
 *
 * <p>Methods throw {@link StorageException} (unchecked) with a message that names the store and the
 * file but never credentials.
 */
public interface BackupStore extends AutoCloseable {

  /** Location type written to {@code status.storageLocation}: {@code S3} or {@code PV}. */
  String LOCATION_S3 = "S3";

  /** See {@link #LOCATION_S3}. */
  String LOCATION_PV = "PV";

  /**
   * Starts writing the archive {@code fileName}. Memory use is bounded (at most one multipart part
   * for S3) whatever the archive size.
   */
  Upload openUpload(String fileName);

  /**
   * Like {@link #openUpload(String)}, with a content type and user metadata for stores that keep
   * them (S3); others ignore {@code attributes}.
   */
  default Upload openUpload(String fileName, ObjectAttributes attributes) {
    return openUpload(fileName);
  }

  /**
   * Removes what uploads of archives named {@code fileNamePrefix...} left when their process was
   * killed before it could clean up (an S3 multipart upload that was never completed nor aborted
   * keeps its parts, and costs, until it is aborted). Call it only while no upload of that prefix
   * runs. Never fails: a store that cannot list such uploads (e.g. no permission) leaves them.
   *
   * @return the keys of the uploads removed
   */
  default List<String> abortInterruptedUploads(String fileNamePrefix) {
    return List.of();
  }

  /**
   * Opens the archive {@code fileName} for reading. The caller closes the stream.
   *
   * @throws StorageException permanent when no archive has exactly that name
   */
  InputStream open(String fileName);

  /** The archives in this store (partial uploads are never listed), in no particular order. */
  List<StoredObject> list();

  /** Deletes the archive {@code fileName}; deleting a missing archive is not an error. */
  void delete(String fileName);

  /** {@link #LOCATION_S3} or {@link #LOCATION_PV}. */
  String locationType();

  /** A human-readable description for status messages and logs, without secrets. */
  String describe();

  /** Releases connections; the store is unusable afterwards. */
  @Override
  default void close() {}
}

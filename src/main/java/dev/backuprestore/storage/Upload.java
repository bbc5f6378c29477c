package dev.backuprestore.storage;

import java.io.OutputStream;

/**
 * An archive being written into a store. Bytes go to {@link #stream()}; the archive becomes visible
 * under its name only when {@link #commit()} returns. Until then nothing is listed or readable, and
 * {@link #abort()} (or {@link #close()} without a commit) discards what was written.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (Upload upload = store.openUpload(fileName)) {
 *   archiveWriter.writeTo(upload.stream());
 *   upload.commit();
 * } // closed without commit -> aborted
 * }</pre>
 *
 * <p>Closing {@link #stream()} only flushes: archive writers close their underlying stream when
 * they finish, and that must neither commit nor abort. A write may throw an unchecked {@link
 * StorageException} when the store fails mid-upload; the upload is then already aborted.
 *
 * <p>An upload is used by one thread at a time.
 */
public interface Upload extends AutoCloseable {

  /** The stream the archive is written to. Always the same object for one upload. */
  OutputStream stream();

  /**
   * Makes the archive visible under its name, replacing any archive with the same name.
   *
   * @throws StorageException if the store fails; the upload is then aborted
   * @throws IllegalStateException if the upload was already aborted
   */
  void commit();

  /** Discards what was written. Does nothing after a commit or a previous abort. */
  void abort();

  /** Aborts unless {@link #commit()} succeeded. */
  @Override
  void close();
}

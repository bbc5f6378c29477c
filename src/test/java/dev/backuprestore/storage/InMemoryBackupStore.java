package dev.backuprestore.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BackupStore} fake for unit tests of the code that uses storage (backup, retention,
 * restore). It honours the contract that matters to callers: an upload is visible only after {@link
 * Upload#commit()}, {@link #open} of a missing name is a permanent {@link StorageException}. {@code
 * lastModified} comes from the given clock, so retention order is under the test's control.
 */
public final class InMemoryBackupStore implements BackupStore {
  private record Entry(byte[] content, Instant lastModified) {}

  private final Map<String, Entry> files = new ConcurrentHashMap<>();
  private final String locationType;
  private final Clock clock;

  /** A {@code PV}-type store whose files get the current time. */
  public InMemoryBackupStore() {
    this(LOCATION_PV, Clock.systemUTC());
  }

  public InMemoryBackupStore(String locationType, Clock clock) {
    this.locationType = locationType;
    this.clock = clock;
  }

  /** Adds a file directly, e.g. older archives for retention tests. */
  public void put(String fileName, byte[] content, Instant lastModified) {
    files.put(fileName, new Entry(content.clone(), lastModified));
  }

  /** The content of a committed file, or null. */
  public byte[] content(String fileName) {
    Entry entry = files.get(fileName);
    return entry == null ? null : entry.content().clone();
  }

  @Override
  public Upload openUpload(String fileName) {
    return new Upload() {
      private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      private boolean finished;
      private boolean aborted;
      private final OutputStream stream =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              checkOpen();
              bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              checkOpen();
              bytes.write(b, off, len);
            }
          };

      private void checkOpen() throws IOException {
        if (finished) {
          throw new IOException("upload of " + fileName + " is already finished");
        }
      }

      @Override
      public OutputStream stream() {
        return stream;
      }

      @Override
      public void commit() {
        if (aborted) {
          throw new IllegalStateException("upload of " + fileName + " was aborted");
        }
        if (!finished) {
          finished = true;
          files.put(fileName, new Entry(bytes.toByteArray(), clock.instant()));
        }
      }

      @Override
      public void abort() {
        if (!finished) {
          finished = true;
          aborted = true;
        }
      }

      @Override
      public void close() {
        abort();
      }
    };
  }

  @Override
  public InputStream open(String fileName) {
    Entry entry = files.get(fileName);
    if (entry == null) {
      throw StorageException.permanent("backup file " + fileName + " not found in " + describe());
    }
    return new ByteArrayInputStream(entry.content());
  }

  @Override
  public List<StoredObject> list() {
    return files.entrySet().stream()
        .map(
            e ->
                new StoredObject(
                    e.getKey(), e.getValue().content().length, e.getValue().lastModified()))
        .toList();
  }

  @Override
  public void delete(String fileName) {
    files.remove(fileName);
  }

  @Override
  public String locationType() {
    return locationType;
  }

  @Override
  public String describe() {
    return "in-memory store";
  }
}

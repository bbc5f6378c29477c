package dev.backuprestore.archive;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Streams a backup archive: one gzip member holding a tar whose entries look like the ones
 * Rancher's Go code writes.
 *
 * <p>Deflate runs at level 1 ({@link #DEFLATE_LEVEL}), not at the default 6 that Go's {@code
 * compress/gzip} and {@code GZIPOutputStream} use: compression was about half of a backup's CPU.
 * Level 1 costs 2.6 times less CPU on Kubernetes text (CRDs, RBAC, chart objects) and 1.3 times
 * less on random payloads, for an archive about 35% larger on text and 3% larger on random data
 * (docs/benchmarks.md, bench/GzipLevels.java). Any gzip reader (Rancher's operator, {@code tar xz})
 * reads it; the tar and the JSON in it are the same bytes whatever the level.
 *
 * <ul>
 *   <li>Each parent directory gets its own entry (typeflag {@code 5}, mode 0755, name without a
 *       trailing {@code /}, as Go's writer with {@code hdr.Name = relativePath}) the first time a
 *       file needs it, even when files of one type arrive in several runs.
 *   <li>Files are regular entries (typeflag {@code 0}, mode 0644).
 *   <li>Names longer than the ustar field, non-ASCII names and huge sizes use PAX headers, as Go.
 *   <li>mtime is the time of writing; uid/gid 0, empty user and group names.
 * </ul>
 *
 * <p>Memory stays bounded: entries go straight to the output; only the set of directory names
 * already written is kept (one per type and namespace). The writer does not detect a file path
 * written twice: callers (the collector) deduplicate objects. Not thread-safe.
 */
public final class TarGzArchiveWriter implements Closeable {
  private static final int FILE_MODE = 0644;
  private static final int DIRECTORY_MODE = 0755;
  private static final int GZIP_BUFFER = 64 * 1024;

  /** The deflate level of backup archives; see the class comment for why not the default. */
  public static final int DEFLATE_LEVEL = Deflater.BEST_SPEED;

  private final CountingOutputStream counted;
  private final GZIPOutputStream gzip;
  private final TarArchiveOutputStream tar;
  private final Clock clock;
  private final Set<String> directories = new HashSet<>();
  private long fileCount;
  private long contentBytes;
  private boolean finished;

  /** A writer stamping entries with the current time. */
  public TarGzArchiveWriter(OutputStream out) throws IOException {
    this(out, Clock.systemUTC());
  }

  /** A writer stamping entries with {@code clock}'s time (tests use a fixed clock). */
  public TarGzArchiveWriter(OutputStream out, Clock clock) throws IOException {
    this(out, clock, DEFLATE_LEVEL);
  }

  /** A writer with another deflate level (tests compare levels: the tar inside is the same). */
  TarGzArchiveWriter(OutputStream out, Clock clock, int deflateLevel) throws IOException {
    this.counted = new CountingOutputStream(out);
    this.clock = clock;
    this.gzip = new LeveledGzipOutputStream(counted, GZIP_BUFFER, deflateLevel);
    this.tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  /** Writes one object as {@code path.path()}. */
  public void writeObject(ObjectPath path, byte[] json) throws IOException {
    writeFile(path.path(), json);
  }

  /** Writes the ResourceSet copy as {@code filters/filters.json}. */
  public void writeFilters(byte[] json) throws IOException {
    writeFile(ArchiveLayout.FILTERS_FILE, json);
  }

  /**
   * Writes one regular file and, first, any parent directory not written yet.
   *
   * @param path {@code filters/filters.json} or an object path of {@link ArchiveLayout}
   * @param content the entry body; never empty (readers reject empty entries)
   * @throws IllegalArgumentException for a path outside the layout or empty content
   */
  public void writeFile(String path, byte[] content) throws IOException {
    if (finished) {
      throw new IllegalStateException("archive already finished");
    }
    validate(path, content);
    // Whole seconds, as Go's writer: a fraction would make commons-compress add a PAX header
    // to every entry.
    long now = Math.floorDiv(clock.millis(), 1000) * 1000;
    int slash = path.indexOf('/');
    while (slash >= 0) {
      String directory = path.substring(0, slash);
      if (directories.add(directory)) {
        TarArchiveEntry entry = new TarArchiveEntry(directory, TarConstants.LF_DIR);
        applyCommonFields(entry, DIRECTORY_MODE, now);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
      slash = path.indexOf('/', slash + 1);
    }
    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_NORMAL);
    applyCommonFields(entry, FILE_MODE, now);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
    fileCount++;
    contentBytes += content.length;
  }

  /**
   * Writes the tar end-of-archive marker and the gzip trailer, and flushes, without closing the
   * underlying stream. Idempotent.
   */
  public void finish() throws IOException {
    if (!finished) {
      finished = true;
      tar.finish(); // two zero blocks
      tar.flush();
      gzip.finish();
      counted.flush();
    }
  }

  /** Finishes the archive and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      tar.close();
    }
  }

  /** Regular files written so far. */
  public long fileCount() {
    return fileCount;
  }

  /** Directory entries written so far. */
  public long directoryCount() {
    return directories.size();
  }

  /** Uncompressed bytes of file bodies written so far. */
  public long contentBytes() {
    return contentBytes;
  }

  /** Compressed bytes handed to the underlying stream so far; the archive size after finish(). */
  public long compressedBytes() {
    return counted.count;
  }

  private static void validate(String path, byte[] content) {
    if (content == null || content.length == 0) {
      throw new IllegalArgumentException("empty content for archive entry '" + path + "'");
    }
    if (!ArchiveLayout.isFiltersFile(path)) {
      try {
        ArchiveLayout.parseObjectPath(path);
      } catch (ArchiveFormatException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
  }

  private static void applyCommonFields(TarArchiveEntry entry, int mode, long millis) {
    entry.setMode(mode);
    entry.setModTime(millis);
    entry.setIds(0, 0);
    entry.setNames("", "");
  }

  /**
   * GZIPOutputStream with another deflate level (set before any input, so it covers every block).
   */
  private static final class LeveledGzipOutputStream extends GZIPOutputStream {
    LeveledGzipOutputStream(OutputStream out, int size, int level) throws IOException {
      super(out, size);
      def.setLevel(level);
    }
  }

  /** Counts the compressed bytes handed to the caller's stream. */
  private static final class CountingOutputStream extends FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}

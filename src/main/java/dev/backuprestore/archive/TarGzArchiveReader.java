package dev.backuprestore.archive;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a backup archive as a stream of regular files, strictly: anything that is not a complete,
 * well-formed archive of the layout in {@link ArchiveLayout} is an {@link ArchiveFormatException}
 * naming the entry and the reason, never a silently shorter restore.
 *
 * <ul>
 *   <li>gzip: must be gzip; a truncated stream, a bad CRC or bytes after the last member fail.
 *       Concatenated members are read as one stream, as Go does.
 *   <li>tar: a truncated header or body, or a missing end-of-archive marker fails; after the marker
 *       only zero padding may follow.
 *   <li>directory entries, with or without a trailing {@code /}, are checked for unsafe paths and
 *       skipped; links, devices and other types fail.
 *   <li>regular files: path safe and in the layout, not empty, not larger than the limit, not
 *       repeated.
 * </ul>
 *
 * <p>An {@link IOException} from {@link #next()} means the source stream itself failed (network,
 * disk): that is worth retrying, unlike a format error. Not thread-safe.
 */
public final class TarGzArchiveReader implements Closeable {
  /** Default per-entry limit: far above any Kubernetes object (etcd's limit is 1.5 MiB). */
  public static final long DEFAULT_MAX_ENTRY_BYTES = 64L * 1024 * 1024;

  private static final int TAR_BLOCK = 512;

  private final SourceStream source;
  private final StrictTarInputStream tar;
  private final long maxEntryBytes;

  /** Paths seen, for the duplicate check; null when the caller checks duplicates itself. */
  private final Set<String> filePaths;

  private long fileCount;
  private String position = " (before the first entry)";
  private boolean ended;
  private boolean failed;

  public TarGzArchiveReader(InputStream in) {
    this(in, DEFAULT_MAX_ENTRY_BYTES);
  }

  /**
   * @param maxEntryBytes the largest entry body accepted; a larger one fails before it is read
   */
  public TarGzArchiveReader(InputStream in, long maxEntryBytes) {
    this(in, maxEntryBytes, true);
  }

  /**
   * A reader that does not check for repeated entries: the check keeps every path on the heap
   * (about 100 bytes per entry), which a caller that indexes the paths anyway (the restore plan) or
   * that compares each entry with an earlier read does without.
   */
  public static TarGzArchiveReader withoutDuplicateCheck(InputStream in, long maxEntryBytes) {
    return new TarGzArchiveReader(in, maxEntryBytes, false);
  }

  private TarGzArchiveReader(InputStream in, long maxEntryBytes, boolean checkDuplicates) {
    this.filePaths = checkDuplicates ? new HashSet<>() : null;
    if (maxEntryBytes < 1 || maxEntryBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxEntryBytes out of range: " + maxEntryBytes);
    }
    this.maxEntryBytes = maxEntryBytes;
    this.source = new SourceStream(in);
    this.tar = new StrictTarInputStream(new BufferedInputStream(new GzipLayer(source), 65536));
  }

  /**
   * The next regular file, or empty once the archive has ended and its end was verified.
   *
   * @throws ArchiveFormatException the archive is malformed (permanent)
   * @throws IOException the underlying stream failed
   */
  public Optional<ArchiveEntry> next() throws IOException {
    if (failed) {
      throw new IllegalStateException(
          "archive reader already failed; start again from a new stream");
    }
    if (ended) {
      return Optional.empty();
    }
    boolean succeeded = false;
    try {
      while (true) {
        TarArchiveEntry entry = tar.getNextEntry();
        if (entry == null) {
          verifyEnd();
          ended = true;
          succeeded = true;
          return Optional.empty();
        }
        String path = entry.getName();
        if (entry.isDirectory()) {
          ArchiveLayout.checkDirectoryPath(path);
          position = " (after entry '" + ArchiveFormatException.printable(path) + "')";
          continue;
        }
        position = " (in entry '" + ArchiveFormatException.printable(path) + "')";
        ArchiveEntry file = readFile(entry, path);
        position = " (after entry '" + ArchiveFormatException.printable(path) + "')";
        succeeded = true;
        return Optional.of(file);
      }
    } catch (IOException e) {
      if (source.failed) {
        throw e; // the source failed: transient, the caller may retry from the start
      }
      throw formatError(e);
    } finally {
      // After any failure the stream position is unknown: never hand out a shorter archive.
      failed = !succeeded;
    }
  }

  /** Regular files returned so far. */
  public long fileCount() {
    return fileCount;
  }

  /** Compressed bytes consumed from the source so far. */
  public long compressedBytesRead() {
    return source.count;
  }

  /** Closes the source stream. */
  @Override
  public void close() throws IOException {
    tar.close();
  }

  private ArchiveEntry readFile(TarArchiveEntry entry, String path) throws IOException {
    byte type = entry.getLinkFlag();
    if (type != TarConstants.LF_NORMAL && type != TarConstants.LF_OLDNORM) {
      throw ArchiveFormatException.forEntry(
          path, "unsupported entry type '" + typeName(type) + "'");
    }
    if (entry.isSparse()) {
      throw ArchiveFormatException.forEntry(path, "sparse entries are not supported");
    }
    ObjectPath object =
        ArchiveLayout.isFiltersFile(path) ? null : ArchiveLayout.parseObjectPath(path);
    long size = entry.getSize();
    if (size == 0) {
      throw ArchiveFormatException.forEntry(path, "empty entry");
    }
    if (size > maxEntryBytes) {
      throw ArchiveFormatException.forEntry(
          path,
          "entry is " + size + " bytes, larger than the limit of " + maxEntryBytes + " bytes");
    }
    if (filePaths != null && !filePaths.add(path)) {
      throw ArchiveFormatException.forEntry(path, "duplicate entry");
    }
    fileCount++;
    byte[] content;
    try {
      content = tar.readNBytes((int) size);
    } catch (IOException e) {
      if (source.failed || gzipCause(e) != null) {
        throw e;
      }
      throw ArchiveFormatException.forEntry(
          path, "truncated tar: entry body ends before its " + size + " bytes");
    }
    if (content.length != size) {
      throw ArchiveFormatException.forEntry(
          path, "truncated tar: entry body has " + content.length + " of " + size + " bytes");
    }
    return new ArchiveEntry(path, object, content);
  }

  /**
   * After the tar end marker: only zero padding may follow, then the gzip stream must end cleanly
   * (trailer CRC and length, no trailing bytes), which reading to the end checks.
   */
  private void verifyEnd() throws IOException {
    if (tar.partialRecord) {
      throw new ArchiveFormatException("truncated tar: incomplete header block" + position);
    }
    if (!tar.sawEndMarker) {
      throw new ArchiveFormatException("truncated tar: missing end-of-archive marker" + position);
    }
    byte[] buffer = new byte[8192];
    int n;
    while ((n = tar.rawStream().read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] != 0) {
          throw new ArchiveFormatException(
              "trailing data after the tar end-of-archive marker" + position);
        }
      }
    }
  }

  private ArchiveFormatException formatError(IOException e) {
    GzipFormatException gzip = gzipCause(e);
    return gzip != null
        ? new ArchiveFormatException(gzip.getMessage() + position, e)
        : new ArchiveFormatException(
            "corrupt or truncated tar" + position + ": " + e.getMessage(), e);
  }

  private static GzipFormatException gzipCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof GzipFormatException gzip) {
        return gzip;
      }
    }
    return null;
  }

  private static String typeName(byte type) {
    return switch (type) {
      case TarConstants.LF_LINK -> "hard link";
      case TarConstants.LF_SYMLINK -> "symbolic link";
      case TarConstants.LF_CHR -> "character device";
      case TarConstants.LF_BLK -> "block device";
      case TarConstants.LF_FIFO -> "fifo";
      default -> String.valueOf((char) type);
    };
  }

  /** Marks failures of the caller's stream, so they are not mistaken for a corrupt archive. */
  private static final class SourceStream extends FilterInputStream {
    private boolean failed;
    private long count;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b >= 0) {
          count++;
        }
        return b;
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = in.read(b, off, len);
        if (n > 0) {
          count += n;
        }
        return n;
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        long skipped = in.skip(n);
        count += skipped;
        return skipped;
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }
  }

  /** A gzip format problem, told apart from tar problems by type. */
  private static final class GzipFormatException extends IOException {
    GzipFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Decompresses lazily (the gzip header is read on first use) and labels gzip errors. */
  private static final class GzipLayer extends InputStream {
    private final SourceStream source;
    private GzipCompressorInputStream gzip;

    GzipLayer(SourceStream source) {
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        if (gzip == null) {
          gzip = new GzipCompressorInputStream(new BufferedInputStream(source, 65536), true);
        }
        return gzip.read(b, off, len);
      } catch (IOException e) {
        if (source.failed) {
          throw e;
        }
        throw new GzipFormatException(describe(e), e);
      }
    }

    private static String describe(IOException e) {
      if (e instanceof EOFException) {
        return "truncated gzip stream";
      }
      String message = String.valueOf(e.getMessage());
      if (message.contains("not in the .gz format")) {
        return "not a gzip stream";
      }
      if (message.contains("after a valid .gz stream")) {
        return "trailing data after the gzip stream";
      }
      return "corrupt gzip stream: " + message;
    }

    @Override
    public void close() throws IOException {
      if (gzip != null) {
        gzip.close();
      } else {
        source.close();
      }
    }
  }

  /**
   * commons-compress's reader treats a short or missing end of archive as a normal end; these two
   * hooks record what it saw so that {@link #verifyEnd()} can be strict.
   */
  private static final class StrictTarInputStream extends TarArchiveInputStream {
    private final InputStream raw;
    private boolean sawEndMarker;
    private boolean partialRecord;

    StrictTarInputStream(InputStream in) {
      // block size 512: no block padding is skipped unseen; verifyEnd() checks what follows
      super(in, TAR_BLOCK, TAR_BLOCK, StandardCharsets.UTF_8.name());
      this.raw = in;
    }

    InputStream rawStream() {
      return raw;
    }

    @Override
    protected byte[] readRecord() throws IOException {
      long before = getBytesRead();
      byte[] record = super.readRecord();
      if (record == null && getBytesRead() != before) {
        partialRecord = true;
      }
      return record;
    }

    @Override
    protected boolean isEOFRecord(byte[] record) {
      boolean eof = super.isEOFRecord(record);
      if (eof && record != null) {
        sawEndMarker = true;
      }
      return eof;
    }
  }
}

package dev.backuprestore.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds tar and tar.gz bytes with full control over entries, including ones our writer refuses to
 * produce (unsafe paths, links, empty files), to feed the reader in tests.
 */
final class TarBytes {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  TarBytes() {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  TarBytes file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  TarBytes file(String name, byte[] content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setSize(content.length);
    return put(entry, content);
  }

  TarBytes directory(String name) {
    return put(new TarArchiveEntry(name, TarConstants.LF_DIR, true), new byte[0]);
  }

  TarBytes entry(String name, byte type) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    if (type == TarConstants.LF_SYMLINK || type == TarConstants.LF_LINK) {
      entry.setLinkName("/etc/passwd");
    }
    return put(entry, new byte[0]);
  }

  private TarBytes put(TarArchiveEntry entry, byte[] content) {
    entry.setModTime(1_700_000_000_000L); // whole seconds: no PAX mtime header
    try {
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tar with its end-of-archive marker. */
  byte[] tar() {
    try {
      tar.finish();
      tar.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tar without its end-of-archive marker (entries only). */
  byte[] tarWithoutEndMarker() {
    try {
      tar.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] tarGz() {
    return gzip(tar());
  }

  /** A 512-byte header block of a regular file claiming {@code size} bytes, without a body. */
  static byte[] headerOnly(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setSize(size);
    byte[] block = new byte[512];
    entry.setModTime(1_700_000_000_000L);
    try {
      entry.writeEntryHeader(
          block,
          org.apache.commons.compress.archivers.zip.ZipEncodingHelper.getZipEncoding("UTF-8"),
          true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return block;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

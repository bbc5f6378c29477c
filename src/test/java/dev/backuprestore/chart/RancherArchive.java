package dev.backuprestore.chart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An archive as Rancher's operator writes it on its volume (docs/archive-format.md, and
 * src/test/resources/dev/backuprestore/archive/rancher-go-writer.go for Go's way): each directory
 * entry before what it holds, no trailing slash, modes 0755 and 0644, uid and gid 0. Written with
 * plain commons-compress, not with the operator's writer, so that the new operator reads something
 * it did not write.
 */
final class RancherArchive {
  private final Map<String, String> files = new LinkedHashMap<>();

  RancherArchive file(String path, String json) {
    files.put(path, json);
    return this;
  }

  /**
   * Writes the archive with every entry and the file itself dated {@code writtenAt}: retention
   * orders a volume's archives by their files' modification time, as Rancher's does.
   */
  void writeTo(Path archive, ZonedDateTime writtenAt) {
    Date time = Date.from(writtenAt.toInstant());
    Set<String> directories = new LinkedHashSet<>();
    try (OutputStream out = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> file : files.entrySet()) {
        String path = file.getKey();
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
          String directory = path.substring(0, slash);
          if (directories.add(directory)) {
            TarArchiveEntry entry = new TarArchiveEntry(directory, TarConstants.LF_DIR, true);
            entry.setMode(0755);
            entry.setModTime(time);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
          }
        }
        byte[] body = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_NORMAL, true);
        entry.setMode(0644);
        entry.setModTime(time);
        entry.setSize(body.length);
        tar.putArchiveEntry(entry);
        tar.write(body);
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.setLastModifiedTime(archive, FileTime.from(writtenAt.toInstant()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

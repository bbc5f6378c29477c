package dev.backuprestore.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a backup archive with plain commons-compress, independently of the operator's own reader:
 * the regular files by entry name, in archive order, and the directory entries.
 *
 * @param files content of every regular file, by entry name
 * @param directories names of the directory entries
 */
public record ArchiveFiles(Map<String, byte[]> files, List<String> directories) {

  public static ArchiveFiles read(Path archive) {
    try (InputStream in = Files.newInputStream(archive)) {
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ArchiveFiles read(InputStream archive) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<String> directories = new java.util.ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(archive))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isDirectory()) {
          directories.add(entry.getName());
        } else {
          files.put(entry.getName(), tar.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArchiveFiles(files, List.copyOf(directories));
  }
}

package dev.backuprestore.cli.archive;

import dev.backuprestore.archive.ArchiveEntry;
import dev.backuprestore.archive.TarGzArchiveReader;
import dev.backuprestore.cli.CliException;
import dev.backuprestore.restore.ArchiveIndexer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Streams an archive's entries, with the restore's entry size limit. */
final class Entries {
  @FunctionalInterface
  interface EntryConsumer {
    void accept(ArchiveEntry entry) throws IOException;
  }

  private Entries() {}

  /**
   * Hands every entry to {@code consumer}, in archive order.
   *
   * @return the number of compressed bytes read
   * @throws dev.backuprestore.archive.ArchiveFormatException when the archive is malformed
   */
  static long forEach(ArchiveSource source, EntryConsumer consumer) {
    try (InputStream in = source.open();
        TarGzArchiveReader reader =
            new TarGzArchiveReader(in, ArchiveIndexer.DEFAULT_MAX_ENTRY_BYTES)) {
      Optional<ArchiveEntry> next;
      while ((next = reader.next()).isPresent()) {
        consumer.accept(next.get());
      }
      return reader.compressedBytesRead();
    } catch (IOException e) {
      throw new CliException("reading " + source.description() + " failed: " + e.getMessage(), e);
    }
  }

  /** "configmaps default/app", or "customresourcedefinitions.apiextensions.k8s.io x". */
  static String describe(dev.backuprestore.archive.ObjectPath path) {
    String type = path.group().isEmpty() ? path.resource() : path.resource() + "." + path.group();
    return type + " " + (path.isNamespaced() ? path.namespace() + "/" : "") + path.name();
  }
}

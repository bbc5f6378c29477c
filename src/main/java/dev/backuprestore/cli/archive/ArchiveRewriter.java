package dev.backuprestore.cli.archive;

import dev.backuprestore.archive.ArchiveEntry;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.archive.TarGzArchiveWriter;
import dev.backuprestore.cli.CliException;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.restore.ArchiveIndexer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a copy of an archive with every object decrypted with one cipher and sealed with another
 * ({@link ObjectCipher#none()}: plaintext). Each entry is checked as a restore checks it on the
 * way, so a bad archive is never copied; the copy goes to a private temporary file first, and is
 * then verified with the new cipher before the caller moves or uploads it.
 */
final class ArchiveRewriter {
  private ArchiveRewriter() {}

  /** The copy, in a private temporary file next to nothing; the caller moves or deletes it. */
  static Path rewrite(ArchiveSource source, ObjectCipher from, ObjectCipher to) {
    Path copy;
    try {
      copy =
          Files.createTempFile(
              "bro-rewrite-",
              ".tar.gz",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new CliException("cannot create a temporary file: " + e.getMessage(), e);
    }
    try (OutputStream out = Files.newOutputStream(copy);
        TarGzArchiveWriter writer = new TarGzArchiveWriter(out)) {
      Entries.forEach(source, entry -> write(writer, entry, from, to));
      writer.finish();
    } catch (IOException | RuntimeException e) {
      deleteQuietly(copy);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new CliException("writing the copy failed: " + e.getMessage(), e);
    }
    VerifyCommand.Result check = VerifyCommand.verify(ArchiveSource.file(copy), to, 1);
    if (!check.problems.isEmpty()) {
      deleteQuietly(copy);
      throw new CliException("the copy does not verify: " + check.problems.get(0));
    }
    return copy;
  }

  private static void write(
      TarGzArchiveWriter writer, ArchiveEntry entry, ObjectCipher from, ObjectCipher to)
      throws IOException {
    ArchiveIndexer.checkEntry(entry, from);
    if (entry.isFilters()) {
      writer.writeFilters(entry.content());
      return;
    }
    ObjectPath path = entry.object();
    byte[] json =
        from.open(path.group(), path.resource(), path.namespace(), path.name(), entry.content());
    writer.writeObject(
        path, to.seal(path.group(), path.resource(), path.namespace(), path.name(), json));
  }

  /** Moves the copy to {@code target} (same file system: atomically). */
  static void moveTo(Path copy, Path target) {
    try {
      try {
        Files.move(
            copy, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(copy);
      throw new CliException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A temporary file; nothing else to do.
    }
  }
}

package dev.backuprestore.cli.archive;

import dev.backuprestore.cli.CliException;
import dev.backuprestore.storage.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One archive to read, as a local file: the file itself, or a private temporary copy of an archive
 * in a store (downloaded as stored: encrypted entries stay encrypted), deleted on close. Commands
 * read it as often as they need (a plan reads it twice, as a restore does).
 */
public final class ArchiveSource implements AutoCloseable {
  private final String name;
  private final String description;
  private final Path file;
  private final boolean temporary;

  private ArchiveSource(String name, String description, Path file, boolean temporary) {
    this.name = name;
    this.description = description;
    this.file = file;
    this.temporary = temporary;
  }

  static ArchiveSource file(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException("archive " + file + " not found");
    }
    return new ArchiveSource(String.valueOf(file.getFileName()), file.toString(), file, false);
  }

  /** Downloads {@code fileName} from {@code store} to a private temporary file. */
  static ArchiveSource download(BackupStore store, String fileName) {
    Path copy = null;
    try {
      copy =
          Files.createTempFile(
              "bro-",
              ".tar.gz",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (InputStream in = store.open(fileName)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return new ArchiveSource(fileName, fileName + " in " + store.describe(), copy, true);
    } catch (IOException e) {
      deleteQuietly(copy);
      throw new CliException(
          "could not read " + fileName + " from " + store.describe() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(copy);
      throw e;
    }
  }

  /** The archive's file name. */
  public String name() {
    return name;
  }

  /** Where it came from, for messages. */
  public String description() {
    return description;
  }

  public Path file() {
    return file;
  }

  public long size() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The archive from its start; may throw {@link UncheckedIOException}. */
  public InputStream open() {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new CliException("archive " + file + " not found");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (temporary) {
      deleteQuietly(file);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // A temporary file; nothing else to do.
      }
    }
  }
}

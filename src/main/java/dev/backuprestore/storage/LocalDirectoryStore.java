package dev.backuprestore.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives as plain files in one directory: the chart's PVC mounted at {@code /var/lib/backups}, or
 * a local directory in dev mode. No folders (Rancher has none for PV storage either).
 *
 * <p>An upload is written to a hidden temporary file {@code .<file>.<random>.partial} in the same
 * directory and renamed atomically onto {@code <file>} when committed, so a crash or a failed
 * backup never leaves a truncated archive under a real name. Hidden files are never listed.
 *
 * <p>A committed archive has mode 0644, as Rancher's (Go's {@code os.Create} under the usual umask
 * 022): another reader of the volume (a copy job, a second operator) can read it. The partial file
 * stays 0600 while it is written. See docs/rancher-compat.md#local-volume.
 */
public final class LocalDirectoryStore implements BackupStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDirectoryStore.class);
  static final String PARTIAL_SUFFIX = ".partial";
  static final Set<PosixFilePermission> ARCHIVE_MODE = PosixFilePermissions.fromString("rw-r--r--");

  private final Path directory;

  public LocalDirectoryStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  @Override
  public Upload openUpload(String fileName) {
    validate(fileName);
    try {
      createDirectoryIfMissing();
      Path partial = Files.createTempFile(directory, "." + fileName + ".", PARTIAL_SUFFIX);
      return new LocalUpload(partial, directory.resolve(fileName));
    } catch (IOException e) {
      throw failure("cannot start writing backup file " + fileName, e);
    }
  }

  @Override
  public InputStream open(String fileName) {
    validate(fileName);
    Path file = directory.resolve(fileName);
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw StorageException.permanent(
          "backup file " + fileName + " not found in directory " + directory, e);
    } catch (IOException e) {
      throw failure("cannot read backup file " + fileName, e);
    }
  }

  @Override
  public List<StoredObject> list() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<StoredObject> result = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")) {
          continue; // partial uploads and other hidden files
        }
        BasicFileAttributes attributes = readAttributes(entry);
        if (attributes != null && attributes.isRegularFile()) {
          result.add(
              new StoredObject(name, attributes.size(), attributes.lastModifiedTime().toInstant()));
        }
      }
    } catch (IOException e) {
      throw failure("cannot list backup files", e);
    }
    return result;
  }

  @Override
  public void delete(String fileName) {
    validate(fileName);
    try {
      Files.deleteIfExists(directory.resolve(fileName));
    } catch (IOException e) {
      throw failure("cannot delete backup file " + fileName, e);
    }
  }

  @Override
  public String locationType() {
    return LOCATION_PV;
  }

  @Override
  public String describe() {
    return "directory " + directory;
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Rancher's 0644, whatever the umask; nothing to do on a file system without POSIX modes. */
  private static void setArchiveMode(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, ARCHIVE_MODE);
    } catch (UnsupportedOperationException e) {
      LOG.debug("no POSIX file modes for {}", file);
    }
  }

  private static BasicFileAttributes readAttributes(Path entry) throws IOException {
    try {
      return Files.readAttributes(entry, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null; // deleted while listing (retention of another Backup)
    }
  }

  private void createDirectoryIfMissing() throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(directory); // not a POSIX file system
    }
  }

  /**
   * File names are single path segments. Names starting with '.' are refused because hidden files
   * are where partial uploads live.
   */
  private static void validate(String fileName) {
    if (fileName == null
        || fileName.isBlank()
        || fileName.startsWith(".")
        || fileName.contains("/")
        || fileName.contains("\\")
        || fileName.indexOf('\0') >= 0) {
      throw StorageException.permanent(
          "invalid backup file name [" + fileName + "]: must be a plain file name");
    }
  }

  private StorageException failure(String what, IOException e) {
    boolean permanent = e instanceof AccessDeniedException;
    return new StorageException(
        what
            + " in directory "
            + directory
            + ": "
            + e.getClass().getSimpleName()
            + " "
            + e.getMessage(),
        permanent,
        e);
  }

  /** Writes to the partial file; commit renames it onto the target. */
  private final class LocalUpload implements Upload {
    private final Path partial;
    private final Path target;
    private final FileChannel channel;
    private final FlushOnCloseOutputStream stream;
    private boolean committed;
    private boolean aborted;

    LocalUpload(Path partial, Path target) throws IOException {
      this.partial = partial;
      this.target = target;
      this.channel = FileChannel.open(partial, StandardOpenOption.WRITE);
      this.stream = new FlushOnCloseOutputStream(channel, target.getFileName().toString());
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public void commit() {
      if (aborted) {
        throw new IllegalStateException("upload of " + target.getFileName() + " was aborted");
      }
      if (committed) {
        return;
      }
      try {
        stream.flush();
        stream.finish();
        channel.force(true); // the data is on disk before the name points at it
        channel.close();
        setArchiveMode(partial);
        Files.move(
            partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        committed = true;
      } catch (IOException e) {
        abort();
        throw failure("cannot write backup file " + target.getFileName(), e);
      }
    }

    @Override
    public void abort() {
      if (committed || aborted) {
        return;
      }
      aborted = true;
      stream.finish();
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing partial file {} failed", partial, e);
      }
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        LOG.warn("cannot delete partial backup file {}: {}", partial, e.toString());
      }
    }

    @Override
    public void close() {
      if (!committed) {
        abort();
      }
    }

    /** Makes the rename durable; best effort because not every file system allows it. */
    private void syncDirectory() {
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.debug("cannot sync directory {}", directory, e);
      }
    }
  }
}

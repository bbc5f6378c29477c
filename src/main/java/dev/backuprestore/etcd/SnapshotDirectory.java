package dev.backuprestore.etcd;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A node's snapshot directory (RKE's {@code /opt/rke/etcd-snapshots}). A snapshot is written to
 * {@code .<name>.zip.part}, fsynced, renamed to {@code <name>.zip} (mode 0600), then its sidecar
 * {@code <name>.zip.sha256} ({@code sha256sum} format) is written the same way. A crash leaves at
 * most a dot-file that {@link #list()} ignores and the next write replaces.
 */
public final class SnapshotDirectory {
  private static final Pattern SIDECAR = Pattern.compile("([0-9a-f]{64})  (\\S+)\\n?");

  private final Path directory;

  public SnapshotDirectory(Path directory) {
    this.directory = directory;
  }

  public Path path() {
    return directory;
  }

  /**
   * A complete snapshot zip in the directory.
   *
   * @param name the snapshot name
   * @param path the zip
   * @param size bytes
   * @param sha256 from the sidecar, empty when it is missing or malformed
   * @param modified the zip's mtime
   */
  public record LocalSnapshot(
      String name, Path path, long size, Optional<String> sha256, Instant modified) {}

  /** Starts writing {@code <name>.zip}; nothing is visible until {@link PendingZip#commit()}. */
  public PendingZip create(String name) throws IOException {
    SnapshotNames.requireValidName(name);
    Files.createDirectories(directory);
    Path part = directory.resolve("." + SnapshotNames.zipName(name) + ".part");
    FileChannel channel =
        FileChannel.open(
            part,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    restrict(part);
    return new PendingZip(name, part, channel);
  }

  /** A zip being written. */
  public final class PendingZip implements AutoCloseable {
    private final String name;
    private final Path part;
    private final FileChannel channel;
    private final MessageDigest digest = SnapshotTrailer.sha256();
    private final OutputStream stream;
    private boolean done;

    private PendingZip(String name, Path part, FileChannel channel) {
      this.name = name;
      this.part = part;
      this.channel = channel;
      this.stream =
          new DigestOutputStream(
              new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), digest);
    }

    /** Where the zip bytes go. Closing it closes the file; {@link #commit()} still works. */
    public OutputStream stream() {
      return stream;
    }

    /** fsync, rename into place, write the sidecar. */
    public LocalSnapshot commit() throws IOException {
      if (done) {
        throw new IllegalStateException("snapshot " + name + " was already committed or aborted");
      }
      try {
        if (channel.isOpen()) {
          stream.flush();
          channel.force(true);
          channel.close();
        } else {
          try (FileChannel again = FileChannel.open(part, StandardOpenOption.WRITE)) {
            again.force(true);
          }
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        Path zip = directory.resolve(SnapshotNames.zipName(name));
        move(part, zip);
        writeSidecar(name, sha256);
        done = true;
        return new LocalSnapshot(
            name,
            zip,
            Files.size(zip),
            Optional.of(sha256),
            Files.getLastModifiedTime(zip).toInstant());
      } finally {
        if (!done) {
          abort();
        }
      }
    }

    /** Deletes the partial file. */
    public void abort() {
      done = true;
      try {
        channel.close();
      } catch (IOException ignored) {
        // the file is deleted next
      }
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // a leftover dot-file is ignored by list() and replaced by the next write
      }
    }

    @Override
    public void close() {
      if (!done) {
        abort();
      }
    }
  }

  private void writeSidecar(String name, String sha256) throws IOException {
    Path sidecar = directory.resolve(SnapshotNames.sidecarName(name));
    Path part = directory.resolve("." + SnapshotNames.sidecarName(name) + ".part");
    byte[] line =
        (sha256 + "  " + SnapshotNames.zipName(name) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
        FileChannel.open(
            part,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(line));
      channel.force(true);
    }
    restrict(part);
    move(part, sidecar);
  }

  /** The sidecar line for a zip, as {@code sha256sum} writes it. */
  public static String sidecarLine(String name, String sha256) {
    return sha256 + "  " + SnapshotNames.zipName(name) + "\n";
  }

  /** The sha256 a sidecar holds, empty when it is malformed or names another file. */
  public static Optional<String> parseSidecar(String content, String name) {
    var matcher = SIDECAR.matcher(content);
    if (matcher.matches() && matcher.group(2).equals(SnapshotNames.zipName(name))) {
      return Optional.of(matcher.group(1));
    }
    return Optional.empty();
  }

  /** Complete snapshot zips with a valid name (partial files and foreign files are ignored). */
  public List<LocalSnapshot> list() throws IOException {
    List<LocalSnapshot> found = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return found;
    }
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(directory, "*" + SnapshotNames.ZIP_SUFFIX)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(".") || !Files.isRegularFile(file)) {
          continue;
        }
        Optional<SnapshotNames.ParsedName> parsed = SnapshotNames.parse(fileName);
        if (parsed.isEmpty()) {
          continue;
        }
        String name = parsed.get().name();
        try {
          found.add(
              new LocalSnapshot(
                  name,
                  file,
                  Files.size(file),
                  sidecarSha256(name),
                  Files.getLastModifiedTime(file).toInstant()));
        } catch (NoSuchFileException raced) {
          // deleted while listing
        }
      }
    }
    return found;
  }

  /** The sha256 in {@code <name>.zip.sha256}. */
  public Optional<String> sidecarSha256(String name) throws IOException {
    Path sidecar = directory.resolve(SnapshotNames.sidecarName(name));
    try {
      return parseSidecar(Files.readString(sidecar, StandardCharsets.UTF_8), name);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Deletes {@code <name>.zip} and its sidecar; a missing file is not an error. */
  public void delete(String name) throws IOException {
    SnapshotNames.requireValidName(name);
    Files.deleteIfExists(directory.resolve(SnapshotNames.zipName(name)));
    Files.deleteIfExists(directory.resolve(SnapshotNames.sidecarName(name)));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void restrict(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}

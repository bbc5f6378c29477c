package dev.backuprestore.etcd.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The directories of one restore, all siblings of the data directory so that the final renames stay
 * on one file system (atomic):
 *
 * <ul>
 *   <li>{@code <data-dir>.restore-<ts>}: where etcdutl writes; a failed or killed restore leaves
 *       only such a directory behind, and the next run deletes it ({@link #removeStaleRestores});
 *   <li>{@code <data-dir>-old-<ts>}: the previous data directory, kept aside (K3s' convention).
 * </ul>
 *
 * The swap is two renames: the old directory aside, then the restored one into place. If the
 * process dies between them the data directory is missing, the old one is complete under its dated
 * name and a rerun restores into the empty place.
 */
public final class DataDirectories {
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dataDir;
  private final String stamp;

  public DataDirectories(Path dataDir, Instant now) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
    if (this.dataDir.getParent() == null) {
      throw new IllegalArgumentException("the data directory cannot be the root directory");
    }
    this.stamp = STAMP.format(now);
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Where etcdutl restores to; it must not exist before (etcdutl wants an empty directory). */
  public Path restoreDir() {
    return sibling(".restore-" + stamp);
  }

  /** Where the current data directory goes. */
  public Path oldDir() {
    return sibling("-old-" + stamp);
  }

  private Path sibling(String suffix) {
    return dataDir.resolveSibling(dataDir.getFileName() + suffix);
  }

  /**
   * Deletes {@code <data-dir>.restore-*} left by an earlier run that failed or was killed. They are
   * never a data directory etcd used: the rename into place is the last step.
   *
   * @return the directories deleted
   */
  public List<Path> removeStaleRestores() {
    List<Path> removed = new ArrayList<>();
    Path parent = dataDir.getParent();
    if (!Files.isDirectory(parent)) {
      return removed;
    }
    String prefix = dataDir.getFileName() + ".restore-";
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*")) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(entry);
          removed.add(entry);
        }
      }
    } catch (IOException e) {
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.RESTORE,
          "cannot remove the leftovers of an earlier restore in " + parent + ": " + e,
          e);
    }
    return removed;
  }

  /**
   * Moves the data directory (if any) to {@link #oldDir()} and the restored directory into its
   * place, then sets mode 0700 and the owner.
   *
   * @param owner uid and gid for the restored tree; null keeps the old data directory's owner (or
   *     the current user's when there was none)
   * @return the old directory's new path, or null when there was no data directory
   */
  public Path swapIn(Path restored, Owner owner) {
    Path old = null;
    try {
      Owner target = owner;
      if (Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
        if (target == null) {
          target = Owner.of(dataDir);
        }
        old = oldDir();
        Files.move(dataDir, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.createDirectories(dataDir.getParent());
      Files.move(restored, dataDir, StandardCopyOption.ATOMIC_MOVE);
      fsync(dataDir.getParent());
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
      if (target != null && !target.equals(Owner.of(dataDir))) {
        chownTree(dataDir, target);
      }
      return old;
    } catch (IOException e) {
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.SWAP,
          "cannot move the restored data into "
              + dataDir
              + (old == null ? "" : " (the previous data directory is in " + old + ")")
              + ": "
              + e,
          e);
    }
  }

  private static void chownTree(Path root, Owner owner) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            owner.apply(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            owner.apply(file);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Makes a rename durable: fsync of the directory that holds both names. */
  static void fsync(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse fsync on a directory; the rename itself has happened.
    }
  }

  /** A numeric owner, as {@code chown uid:gid}. */
  public record Owner(int uid, int gid) {
    /** Parses {@code uid:gid} (numbers). */
    public static Owner parse(String text) {
      String[] parts = text.split(":", -1);
      try {
        if (parts.length == 2) {
          return new Owner(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("expected uid:gid (numbers), got '" + text + "'");
    }

    static Owner of(Path path) throws IOException {
      return new Owner(
          ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue(),
          ((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).intValue());
    }

    void apply(Path path) throws IOException {
      Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String toString() {
      return uid + ":" + gid;
    }
  }
}

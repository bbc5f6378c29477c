package dev.backuprestore.operator;

import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.storage.LocalDirectoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a killed operator left on disk (docs/reliability.md):
 *
 * <ul>
 *   <li>the restore's private copies of archives, kept in a temporary directory named after the
 *       process ({@code backup-restore-operator-<pid>}): at start-up, the directories of processes
 *       that no longer run (and our own PID's, left by the previous container of the pod, which had
 *       PID 1 too) are deleted;
 *   <li>the partial uploads in the default local directory (the PV, which replicas may share), only
 *       once this replica is the leader, so that it never deletes a file another replica writes.
 * </ul>
 */
final class StartupSweep {
  private static final Logger LOG = LoggerFactory.getLogger(StartupSweep.class);
  private static final String PREFIX = "backup-restore-operator-";

  private StartupSweep() {}

  /** This process's directory for temporary files, created on first use (owner only). */
  static synchronized Path processTemporaryDirectory() throws IOException {
    Path directory = temporaryRoot().resolve(PREFIX + ProcessHandle.current().pid());
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return directory;
  }

  /** At process start: removes the temporary directories of processes that are gone. */
  static void temporaryFiles() {
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(temporaryRoot(), PREFIX + "*")) {
      for (Path entry : entries) {
        Optional<Long> pid = pid(entry.getFileName().toString());
        if (pid.isEmpty() || (pid.get() != self && ProcessHandle.of(pid.get()).isPresent())) {
          continue;
        }
        deleteTree(entry);
        LOG.info("removed {}, restore copies left by a stopped operator", entry);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not sweep the temporary directory: {}", e.getMessage());
    }
  }

  /**
   * On becoming the leader (or at start without leader election) at {@code since}: partial uploads
   * older than that were left by another process.
   */
  static void partialUploads(OperatorConfig config, Instant since) {
    config
        .defaultLocalDirectory()
        .ifPresent(
            directory -> {
              List<String> swept = new LocalDirectoryStore(directory).sweepPartialUploads(since);
              if (!swept.isEmpty()) {
                LOG.info(
                    "removed {} partial upload(s) left by an interrupted backup in {}: {}",
                    swept.size(),
                    directory,
                    swept);
              }
            });
  }

  private static Optional<Long> pid(String name) {
    try {
      return Optional.of(Long.parseLong(name.substring(PREFIX.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Path temporaryRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static void deleteTree(Path directory) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(directory);
  }
}

package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreSpec;
import dev.backuprestore.config.EncryptionConfigLoader;
import dev.backuprestore.config.OperatorProtectedObjects;
import dev.backuprestore.config.StorageResolver;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.restore.RestoreJob;
import dev.backuprestore.restore.RestoreResult;
import dev.backuprestore.restore.RestoreRunner;
import dev.backuprestore.storage.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one restore pass: resolves the archive's location and the encryption config, keeps a local
 * copy of the archive exactly as stored (encrypted entries stay encrypted; the engine reads it
 * twice: once to validate and index, once to apply) and deletes it when the pass ends, also on
 * failure.
 */
public class RestoreService implements RestoreExecutor {
  private final OperatorConfig config;
  private final StorageResolver storage;
  private final EncryptionConfigLoader encryption;
  private final RestoreRunner runner;
  private final EventRecorder events;

  /**
   * The failed objects of each restore job that waits between passes: the engine continues where it
   * stopped, so an object that failed in an earlier pass is not heard again in the last one.
   */
  private final Map<String, FailedObjectEvents> failedObjects = new ConcurrentHashMap<>();

  public RestoreService(
      OperatorConfig config,
      StorageResolver storage,
      EncryptionConfigLoader encryption,
      RestoreRunner runner,
      EventRecorder events) {
    this.config = config;
    this.storage = storage;
    this.encryption = encryption;
    this.runner = runner;
    this.events = events;
  }

  @Override
  public RestoreOutcome execute(Restore restore) {
    RestoreSpec spec = restore.getSpec();
    ObjectCipher cipher = encryption.load(spec.getEncryptionConfigSecretName());
    Path copy = null;
    try (BackupStore store = storage.forRestore(spec.getStorageLocation())) {
      copy = download(store, spec.getBackupFilename());
      Path archive = copy;
      String jobId = restore.getMetadata().getName() + ":" + restore.getMetadata().getUid();
      RestoreJob job =
          new RestoreJob(
              jobId,
              () -> open(archive),
              cipher,
              spec.isPruneEffective(),
              spec.getDeleteTimeoutSecondsEffective(),
              spec.isIgnoreErrorsEffective(),
              config.restoreWorkers(),
              OperatorProtectedObjects.of(
                  config.storageDefaults(),
                  spec.getEncryptionConfigSecretName(),
                  spec.getStorageLocation()));
      RestoreResult result = run(restore, job);
      return new RestoreOutcome(
          store.locationType(),
          result.created(),
          result.updated(),
          result.pruned(),
          result.failed(),
          result.warnings(),
          result.isWaiting() ? result.retryAfter() : null);
    } finally {
      deleteQuietly(copy);
    }
  }

  /**
   * Runs the pass, and reports every failed object in Events once the restore ends: completed, or
   * failed for good. A waiting pass keeps them for the next; a pass that fails and will be retried
   * starts over (so does the engine), which would hear the same objects again.
   */
  private RestoreResult run(Restore restore, RestoreJob job) {
    FailedObjectEvents failed =
        failedObjects.computeIfAbsent(job.id(), id -> new FailedObjectEvents());
    RestoreResult result;
    try {
      result = runner.run(job, failed);
    } catch (RuntimeException e) {
      failedObjects.remove(job.id());
      if (Failures.needsUserAction(e)) {
        failed.record(restore, events);
      }
      throw e;
    }
    if (!result.isWaiting()) {
      failedObjects.remove(job.id());
      failed.record(restore, events);
    }
    return result;
  }

  /** Streams the archive to a private temporary file; nothing is decrypted on the way. */
  private static Path download(BackupStore store, String fileName) {
    Path file = null;
    try {
      file =
          Files.createTempFile(
              StartupSweep.processTemporaryDirectory(),
              "restore-",
              ".tar.gz",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (InputStream in = store.open(fileName)) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException e) {
      deleteQuietly(file);
      throw new OperatorException(
          "could not read backup " + fileName + " from " + store.describe() + ": " + e.getMessage(),
          false,
          e);
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  private static InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // The file is in the temporary directory; nothing else to do.
      }
    }
  }
}

package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.archive.BackupFileName;
import dev.backuprestore.backup.BackupJob;
import dev.backuprestore.backup.BackupResult;
import dev.backuprestore.backup.BackupRunner;
import dev.backuprestore.backup.Retention;
import dev.backuprestore.config.EncryptionConfigLoader;
import dev.backuprestore.config.StorageResolver;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.storage.BackupStore;
import java.time.ZonedDateTime;

/** Resolves a Backup's storage and encryption, runs it, and applies retention when recurring. */
public class BackupService implements BackupExecutor {
  /** Rancher's in-memory default for recurring Backups without retentionCount. */
  static final long DEFAULT_RETENTION = 10;

  private final String clusterId;
  private final StorageResolver storage;
  private final EncryptionConfigLoader encryption;
  private final BackupRunner runner;
  private final Retention retention;

  public BackupService(
      String clusterId,
      StorageResolver storage,
      EncryptionConfigLoader encryption,
      BackupRunner runner,
      Retention retention) {
    this.clusterId = clusterId;
    this.storage = storage;
    this.encryption = encryption;
    this.runner = runner;
    this.retention = retention;
  }

  @Override
  public BackupOutcome execute(Backup backup, ResourceSet resourceSet, ZonedDateTime startedAt) {
    BackupSpec spec = backup.getSpec();
    String name = backup.getMetadata().getName();
    ObjectCipher cipher = encryption.load(spec.getEncryptionConfigSecretName());
    boolean encrypted =
        spec.getEncryptionConfigSecretName() != null
            && !spec.getEncryptionConfigSecretName().isBlank();
    try (BackupStore store = storage.forBackup(name, spec.getStorageLocation())) {
      // This Backup's runs never overlap: an upload of its name pending now is a killed run's.
      store.abortInterruptedUploads(BackupFileName.prefix(name, clusterId));
      BackupResult result =
          runner.run(
              new BackupJob(name, clusterId, resourceSet, cipher, encrypted, store, startedAt));
      int deleted = 0;
      if (spec.isRecurring()) {
        long keep =
            spec.getRetentionCount() == null || spec.getRetentionCount() < 1
                ? DEFAULT_RETENTION
                : spec.getRetentionCount();
        deleted = retention.apply(store, name, clusterId, encrypted, keep);
      }
      return new BackupOutcome(
          result.fileName(),
          store.locationType(),
          result.objects(),
          result.archiveBytes(),
          deleted);
    }
  }
}

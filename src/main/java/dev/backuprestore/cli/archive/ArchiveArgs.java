package dev.backuprestore.cli.archive;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.cli.CliException;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.storage.BackupStore;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * What every archive command shares: the location, the encryption config and the cluster. An
 * archive argument is a local file, or a file name in the location; with {@code --backup} and no
 * argument, the Backup's latest archive ({@code status.filename}).
 */
public final class ArchiveArgs implements AutoCloseable {
  @Mixin LocationOptions location;

  @Mixin EncryptionOptions encryption;

  @Mixin ClusterOptions cluster;

  private Backup backup;

  /** Opens one archive; {@code name} may be null with {@code --backup}. */
  ArchiveSource open(String name) {
    if (!location.isStore()) {
      if (name == null) {
        throw new CliException("name an archive file, or give --dir, --s3-bucket or --backup");
      }
      return ArchiveSource.file(Path.of(name));
    }
    String fileName = name;
    if (fileName == null) {
      if (location.backupName == null) {
        throw new CliException("name the archive to read from the location");
      }
      fileName = backup().getStatus() == null ? null : backup().getStatus().getFilename();
      if (fileName == null || fileName.isBlank()) {
        throw new CliException("Backup " + location.backupName + " has no archive yet");
      }
    }
    try (BackupStore store = location.openStore(cluster)) {
      return ArchiveSource.download(store, fileName);
    }
  }

  /** The cipher of the options, else of the Backup named by {@code --backup}. */
  ObjectCipher cipher() {
    String fallback = null;
    if (!encryption.isSet() && location.backupName != null) {
      fallback = backup().getSpec().getEncryptionConfigSecretName();
    }
    return encryption.cipher(cluster, fallback);
  }

  BackupStore openStore() {
    return location.openStore(cluster);
  }

  boolean isStore() {
    return location.isStore();
  }

  private Backup backup() {
    if (backup == null) {
      backup = location.backup(cluster);
    }
    return backup;
  }

  @Override
  public void close() {
    cluster.close();
  }
}

package dev.backuprestore.cli.archive;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.cli.CliException;
import dev.backuprestore.cli.S3EndpointOptions;
import dev.backuprestore.config.StorageResolver;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.LocalDirectoryStore;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where archives are: a local directory (the chart's volume, e.g. {@code /var/lib/backups}), an S3
 * location given with the fields of a Backup's {@code storageLocation.s3}, or a Backup resource
 * (its storage location and latest archive). Without any of these, an archive argument is a local
 * file. S3 credentials come from the named Secret, else from the environment (the AWS default
 * chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, profiles, instance roles).
 */
public final class LocationOptions {
  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "a directory of archives (the chart's volume, e.g. /var/lib/backups)")
  Path directory;

  @Mixin S3EndpointOptions s3;

  @Option(
      names = "--s3-credential-secret",
      paramLabel = "NAME",
      description = "credentialSecretName (keys accessKey, secretKey); default: the environment")
  String credentialSecretName;

  @Option(
      names = "--s3-credential-secret-namespace",
      paramLabel = "NAMESPACE",
      description = "credentialSecretNamespace")
  String credentialSecretNamespace;

  @Option(
      names = "--backup",
      paramLabel = "NAME",
      description = "a Backup resource: its storage location, encryption Secret and latest archive")
  String backupName;

  boolean isStore() {
    return directory != null || s3.bucket() != null || backupName != null;
  }

  /** A store opened from the options; the caller closes it. */
  BackupStore openStore(ClusterOptions cluster) {
    if (backupName != null) {
      Backup backup = backup(cluster);
      StorageResolver resolver =
          new StorageResolver(
              cluster.client(),
              cluster.storageDefaults(Optional.ofNullable(directory), !s3.plainHttp()));
      return resolver.forBackup(backupName, backup.getSpec().getStorageLocation());
    }
    if (s3.bucket() != null) {
      StorageLocation location = storageLocation();
      // The cluster is only contacted when a credential Secret is named.
      return new StorageResolver(
              credentialSecretName == null ? null : cluster.client(),
              cluster.storageDefaults(Optional.empty(), !s3.plainHttp()))
          .forRestore(location);
    }
    if (directory != null) {
      return new LocalDirectoryStore(directory);
    }
    throw new CliException("no location: give --dir, --s3-bucket or --backup");
  }

  /** The S3 location of the options as a Backup's storageLocation, or null. */
  StorageLocation storageLocation() {
    if (s3.bucket() == null) {
      return null;
    }
    S3ObjectStore store = s3.objectStore();
    store.setCredentialSecretName(credentialSecretName);
    store.setCredentialSecretNamespace(credentialSecretNamespace);
    StorageLocation location = new StorageLocation();
    location.setS3(store);
    return location;
  }

  /** The Backup resource named by {@code --backup}. */
  Backup backup(ClusterOptions cluster) {
    Backup backup = cluster.client().resources(Backup.class).withName(backupName).get();
    if (backup == null) {
      throw new CliException("Backup " + backupName + " not found");
    }
    return backup;
  }
}

package dev.backuprestore.cli.archive;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ClientConfig;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.cli.CliException;
import dev.backuprestore.config.StorageResolver;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.LocalDirectoryStore;
import java.nio.file.Path;
import java.util.Optional;
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

  @Option(names = "--s3-bucket", paramLabel = "BUCKET", description = "S3 bucketName")
  String bucket;

  @Option(names = "--s3-folder", paramLabel = "FOLDER", description = "S3 folder")
  String folder;

  @Option(names = "--s3-endpoint", paramLabel = "HOST", description = "S3 endpoint")
  String endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region")
  String region;

  @Option(
      names = "--s3-endpoint-ca",
      paramLabel = "CA",
      description = "endpointCA: a PEM file, or base64 of PEM")
  String endpointCa;

  @Option(names = "--s3-insecure-tls-skip-verify", description = "insecureTLSSkipVerify")
  boolean insecureTlsSkipVerify;

  @Option(
      names = "--s3-plain-http",
      description = "speak plain HTTP to the endpoint (as the operator in dev mode)")
  boolean plainHttp;

  @Option(
      names = "--s3-bucket-lookup",
      paramLabel = "auto|dns|path",
      description = "clientConfig.bucketLookup")
  String bucketLookup;

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
    return directory != null || bucket != null || backupName != null;
  }

  /** A store opened from the options; the caller closes it. */
  BackupStore openStore(ClusterOptions cluster) {
    if (backupName != null) {
      Backup backup = backup(cluster);
      StorageResolver resolver =
          new StorageResolver(
              cluster.client(),
              cluster.storageDefaults(Optional.ofNullable(directory), !plainHttp));
      return resolver.forBackup(backupName, backup.getSpec().getStorageLocation());
    }
    if (bucket != null) {
      StorageLocation location = storageLocation();
      // The cluster is only contacted when a credential Secret is named.
      return new StorageResolver(
              credentialSecretName == null ? null : cluster.client(),
              cluster.storageDefaults(Optional.empty(), !plainHttp))
          .forRestore(location);
    }
    if (directory != null) {
      return new LocalDirectoryStore(directory);
    }
    throw new CliException("no location: give --dir, --s3-bucket or --backup");
  }

  /** The S3 location of the options as a Backup's storageLocation, or null. */
  StorageLocation storageLocation() {
    if (bucket == null) {
      return null;
    }
    {
      S3ObjectStore s3 = new S3ObjectStore();
      s3.setBucketName(bucket);
      s3.setFolder(folder);
      s3.setEndpoint(endpoint);
      s3.setRegion(region);
      s3.setEndpointCA(endpointCa);
      s3.setInsecureTLSSkipVerify(insecureTlsSkipVerify);
      s3.setCredentialSecretName(credentialSecretName);
      s3.setCredentialSecretNamespace(credentialSecretNamespace);
      if (bucketLookup != null) {
        ClientConfig clientConfig = new ClientConfig();
        clientConfig.setBucketLookup(bucketLookup);
        s3.setClientConfig(clientConfig);
      }
      StorageLocation location = new StorageLocation();
      location.setS3(s3);
      return location;
    }
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

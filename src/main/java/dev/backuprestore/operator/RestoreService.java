package dev.backuprestore.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreSpec;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.restore.ProtectedObjects;
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
import java.util.ArrayList;
import java.util.List;

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

  public RestoreService(
      OperatorConfig config,
      StorageResolver storage,
      EncryptionConfigLoader encryption,
      RestoreRunner runner) {
    this.config = config;
    this.storage = storage;
    this.encryption = encryption;
    this.runner = runner;
  }

  @Override
  public RestoreOutcome execute(Restore restore) {
    RestoreSpec spec = restore.getSpec();
    ObjectCipher cipher = encryption.load(spec.getEncryptionConfigSecretName());
    Path copy = null;
    try (BackupStore store = storage.forRestore(spec.getStorageLocation())) {
      copy = download(store, spec.getBackupFilename());
      Path archive = copy;
      RestoreJob job =
          new RestoreJob(
              restore.getMetadata().getName() + ":" + restore.getMetadata().getUid(),
              () -> open(archive),
              cipher,
              spec.isPruneEffective(),
              spec.getDeleteTimeoutSecondsEffective(),
              spec.isIgnoreErrorsEffective(),
              RestoreJob.DEFAULT_WORKERS,
              protectedObjects(spec));
      RestoreResult result = runner.run(job);
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

  /** Streams the archive to a private temporary file; nothing is decrypted on the way. */
  private static Path download(BackupStore store, String fileName) {
    Path file = null;
    try {
      file =
          Files.createTempFile(
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

  /**
   * Prune never deletes the operator's own objects (docs/rancher-compat.md#diff-prune-protection):
   * in its namespace every ServiceAccount and service-account token, the restore Lease and the
   * Secrets this restore or the operator's defaults use; anywhere, the CRDs of our own API group.
   */
  private ProtectedObjects protectedObjects(RestoreSpec spec) {
    List<String> secrets = new ArrayList<>();
    addIfSet(secrets, spec.getEncryptionConfigSecretName());
    addIfSet(secrets, config.defaultS3SecretName());
    if (spec.getStorageLocation() != null && spec.getStorageLocation().getS3() != null) {
      S3ObjectStore s3 = spec.getStorageLocation().getS3();
      if (config.chartNamespace().equals(s3.getCredentialSecretNamespace())) {
        addIfSet(secrets, s3.getCredentialSecretName());
      }
    }
    String namespace = config.chartNamespace();
    ProtectedObjects named = ProtectedObjects.operatorObjects(namespace, "", secrets);
    return named.or(
        (path, object) ->
            (namespace.equals(path.namespace()) && isServiceAccountOrToken(path, object))
                || isOurCrd(path));
  }

  private static boolean isServiceAccountOrToken(ObjectPath path, JsonNode object) {
    if (!path.group().isEmpty()) {
      return false;
    }
    return path.resource().equals("serviceaccounts")
        || (path.resource().equals("secrets")
            && object != null
            && "kubernetes.io/service-account-token".equals(object.path("type").asText("")));
  }

  private static boolean isOurCrd(ObjectPath path) {
    return path.group().equals("apiextensions.k8s.io")
        && path.resource().equals("customresourcedefinitions")
        && path.name().endsWith(".resources.cattle.io");
  }

  private static void addIfSet(List<String> names, String name) {
    if (name != null && !name.isBlank()) {
      names.add(name);
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

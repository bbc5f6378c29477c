package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.SampleApplication;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An encrypted Backup restores only with the encryption configuration it was written with
 * (docs/rancher-compat.md#decryption): without it, or with another key, the Restore stalls with
 * Rancher's hint, a Warning Event, and nothing in the cluster changes, not even the objects that
 * were not encrypted.
 */
class RestoreEncryptionIT {
  private static final String SYSTEM = "rit-crypt-system";
  private static final String ENCRYPTION = "rit-encryption";
  private static final String OTHER_KEY = "rit-encryption-other-key";

  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient crs;
  private static Path backups;
  private static SampleApplication app;
  private static String file;

  @BeforeAll
  static void takeAnEncryptedBackup() throws Exception {
    backups = Files.createTempDirectory("rit-crypt-backups");
    operator = OperatorHarness.start(OperatorHarness.devConfig(SYSTEM, backups, false));
    client = operator.client();
    crs = new BackupRestoreClient(client, "restore-encryption");
    encryptionSecret(ENCRYPTION, "c2VjcmV0IGlzIHNlY3VyZQ==");
    encryptionSecret(OTHER_KEY, "dGhpcyBpcyBwYXNzd29yZA==");
    app = new SampleApplication(client, "rit-crypt-app").create();
    crs.resourceSet("rit-crypt", app.selectors());
    file =
        crs.backUp(
            "rit-crypt", "rit-crypt", spec -> spec.setEncryptionConfigSecretName(ENCRYPTION));
  }

  @AfterAll
  static void stopOperator() {
    if (crs != null) {
      crs.deleteAll();
    }
    if (operator != null) {
      operator.close();
    }
    TestFiles.deleteRecursively(backups);
  }

  @Test
  void restoresWithTheSameEncryptionConfig() {
    assertThat(file).endsWith(".tar.gz.enc");
    deleteApplicationObjects();

    crs.createRestore(
        "rit-crypt-same", file, spec -> spec.setEncryptionConfigSecretName(ENCRYPTION));
    Restore restore = crs.awaitCompleted("rit-crypt-same");

    app.assertRestored();
    assertThat(restore.getStatus().getSummary())
        .startsWith("created=" + SampleApplication.OBJECTS + " ");
    crs.awaitLeaseReleased(SYSTEM);
  }

  @Test
  void withoutTheEncryptionConfigStallsAndChangesNothing() {
    deleteApplicationObjects();

    crs.createRestore("rit-crypt-none", file, spec -> {});

    assertStalledOnDecryption("rit-crypt-none");
  }

  @Test
  void withAnotherKeyStallsAndChangesNothing() {
    deleteApplicationObjects();

    crs.createRestore(
        "rit-crypt-other", file, spec -> spec.setEncryptionConfigSecretName(OTHER_KEY));

    assertStalledOnDecryption("rit-crypt-other");
  }

  private static void assertStalledOnDecryption(String name) {
    Restore restore = crs.awaitStalled(name);
    Condition reconciling = BackupRestoreClient.condition(restore, Conditions.RECONCILING);
    assertThat(reconciling.getStatus()).isEqualTo("False");
    assertThat(reconciling.getReason()).isEqualTo("Error");
    assertThat(reconciling.getMessage())
        .contains("secrets.#v1/rit-crypt-app/db-password.json")
        .contains("provide same encryption config as used for backup");
    assertThat(BackupRestoreClient.condition(restore, Conditions.STALLED).getStatus())
        .isEqualTo("True");
    assertThat(BackupRestoreClient.condition(restore, Conditions.READY).getStatus())
        .isEqualTo("False");
    assertThat(restore.getStatus().getRestoreCompletionTs()).isNull();
    assertThat(crs.awaitEvents(restore, "Warning"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getReason()).isEqualTo("RestoreStalled");
              assertThat(event.getMessage()).isEqualTo(reconciling.getMessage());
            });
    // The archive is checked before anything is applied: the ConfigMaps and the Deployment, which
    // were not encrypted, are not restored either.
    app.assertDeleted();
    crs.awaitLeaseReleased(SYSTEM);
  }

  /** The tests share the application; each starts with its objects deleted. */
  private static void deleteApplicationObjects() {
    app.deleteObjects();
  }

  /** An EncryptionConfiguration that encrypts Secrets only, with one aescbc key. */
  private static void encryptionSecret(String name, String key) {
    String config =
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - aescbc:
                  keys:
                    - name: key1
                      secret: %s
        """
            .formatted(key);
    client
        .secrets()
        .inNamespace(SYSTEM)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(SYSTEM)
                .endMetadata()
                .withStringData(Map.of("encryption-provider-config.yaml", config))
                .build())
        .create();
  }
}

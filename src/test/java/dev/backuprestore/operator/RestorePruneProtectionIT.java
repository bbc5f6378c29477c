package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.SampleApplication;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prune through the Restore resource (docs/rancher-compat.md#prune, #diff-prune-protection): an
 * object created after the backup inside the backed-up selection is deleted by default and kept
 * with {@code prune: false}; the operator's ServiceAccount, its token Secret and the encryption
 * Secret the Restore names are never deleted, although the backup's ResourceSet selects the
 * operator namespace's ServiceAccounts and Secrets (another Secret there, created after the backup,
 * is pruned: the selection does cover them).
 */
class RestorePruneProtectionIT {
  private static final String SYSTEM = "rit-prune-system";
  private static final String APP = "rit-prune-app";
  private static final String ENCRYPTION = "rit-prune-encryption";

  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient crs;
  private static Path backups;
  private static SampleApplication app;
  private static String file;

  @BeforeAll
  static void backUpThenAddTheOperatorsObjects() throws Exception {
    backups = Files.createTempDirectory("rit-prune-backups");
    operator = OperatorHarness.start(OperatorHarness.devConfig(SYSTEM, backups, false));
    client = operator.client();
    crs = new BackupRestoreClient(client, "restore-prune");
    app = new SampleApplication(client, APP).create();
    crs.resourceSet(
        "rit-prune",
        BackupRestoreClient.selector("v1", "^configmaps$", APP),
        BackupRestoreClient.selector("v1", "^secrets$|^serviceaccounts$", SYSTEM));
    file = crs.backUp("rit-prune", "rit-prune", spec -> {});

    // Made after the backup, so the archive lacks them: what an operator install creates.
    client
        .serviceAccounts()
        .inNamespace(SYSTEM)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("backup-restore-operator")
                .withNamespace(SYSTEM)
                .endMetadata()
                .build())
        .create();
    create(
        secret("backup-restore-operator-token")
            .withType("kubernetes.io/service-account-token")
            .editMetadata()
            .withAnnotations(
                Map.of("kubernetes.io/service-account.name", "backup-restore-operator"))
            .endMetadata()
            .build());
    create(
        secret(ENCRYPTION)
            .withStringData(
                Map.of(
                    "encryption-provider-config.yaml",
                    """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: EncryptionConfiguration
                    resources:
                      - resources: [secrets]
                        providers:
                          - aescbc:
                              keys: [{name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]
                    """))
            .build());
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

  /** Objects inside the backed-up selection that the archive does not hold. */
  @BeforeEach
  void createObjectsAfterTheBackup() {
    client
        .configMaps()
        .inNamespace(APP)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("added-later")
                .withNamespace(APP)
                .endMetadata()
                .withData(Map.of("k", "v"))
                .build())
        .createOr(existing -> existing.update());
    if (client.secrets().inNamespace(SYSTEM).withName("unrelated").get() == null) {
      create(secret("unrelated").withStringData(Map.of("k", "v")).build());
    }
  }

  @Test
  void pruneByDefaultDeletesWhatTheArchiveLacksButNotTheOperatorsObjects() {
    crs.createRestore(
        "rit-prune-default", file, spec -> spec.setEncryptionConfigSecretName(ENCRYPTION));
    Restore restore = crs.awaitCompleted("rit-prune-default");

    assertThat(app.configMap("added-later")).isNull();
    assertThat(systemSecret("unrelated")).isNull();
    assertThat(restore.getStatus().getSummary()).contains(" pruned=2 ");
    assertThat(app.configMap("settings")).isNotNull();
    assertOperatorObjectsKept();
  }

  @Test
  void pruneFalseKeepsEverything() {
    crs.createRestore(
        "rit-prune-off",
        file,
        spec -> {
          spec.setPrune(false);
          spec.setEncryptionConfigSecretName(ENCRYPTION);
        });
    Restore restore = crs.awaitCompleted("rit-prune-off");

    assertThat(app.configMap("added-later")).isNotNull();
    assertThat(systemSecret("unrelated")).isNotNull();
    assertThat(restore.getStatus().getSummary()).contains(" pruned=0 ");
    assertOperatorObjectsKept();
  }

  private static void assertOperatorObjectsKept() {
    assertThat(
            client.serviceAccounts().inNamespace(SYSTEM).withName("backup-restore-operator").get())
        .isNotNull();
    assertThat(systemSecret("backup-restore-operator-token")).isNotNull();
    assertThat(systemSecret(ENCRYPTION)).isNotNull();
    crs.awaitLeaseReleased(SYSTEM);
  }

  private static Secret systemSecret(String name) {
    return client.secrets().inNamespace(SYSTEM).withName(name).get();
  }

  private static SecretBuilder secret(String name) {
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace(SYSTEM).endMetadata();
  }

  private static void create(Secret secret) {
    client.secrets().inNamespace(SYSTEM).resource(secret).create();
  }
}

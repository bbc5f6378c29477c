package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreStatus;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.SampleApplication;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Restore of a Backup taken through the operator, from the default directory (PV) and from S3,
 * ends exactly as Rancher's (docs/rancher-compat.md#restore-status): the objects are back, the
 * status is {@code [Ready True "Completed"]} with the completion time, generation and source, an
 * Event says so, the Lease is released, and the completed Restore never runs again.
 */
class RestoreCompletionIT {
  private static final String SYSTEM = "rit-complete-system";
  private static final String BUCKET = "rit-backups";
  private static final String FOLDER = "restore-it";
  private static final String S3_SECRET = "rit-s3-credentials";

  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient crs;
  private static S3ProxyServer s3;
  private static Path backups;

  @BeforeAll
  static void startOperatorAndS3() throws Exception {
    backups = Files.createTempDirectory("rit-complete-backups");
    operator = OperatorHarness.start(OperatorHarness.devConfig(SYSTEM, backups, false));
    client = operator.client();
    crs = new BackupRestoreClient(client, "restore-completion");
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    client
        .secrets()
        .inNamespace(SYSTEM)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(S3_SECRET)
                .withNamespace(SYSTEM)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "accessKey", S3ProxyServer.ACCESS_KEY,
                        "secretKey", S3ProxyServer.SECRET_KEY))
                .build())
        .create();
  }

  @AfterAll
  static void stopOperator() throws Exception {
    if (crs != null) {
      crs.deleteAll();
    }
    if (operator != null) {
      operator.close();
    }
    if (s3 != null) {
      s3.close();
    }
    TestFiles.deleteRecursively(backups);
  }

  @Test
  void restoresFromTheDefaultDirectoryAndNeverRunsAgain() {
    SampleApplication app = new SampleApplication(client, "rit-complete-pv").create();
    crs.resourceSet("rit-complete-pv", app.selectors());
    String file = crs.backUp("rit-complete-pv", "rit-complete-pv", spec -> {});
    assertThat(backups.resolve(file)).isRegularFile();
    app.deleteObjects();

    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    crs.createRestore("rit-complete-pv", file, spec -> {});
    Restore restore = crs.awaitCompleted("rit-complete-pv");

    app.assertRestored();
    assertCompleted(restore, "PV", before);
    assertThat(restore.getStatus().getSummary())
        .isEqualTo("created=" + SampleApplication.OBJECTS + " updated=0 pruned=0 failed=0");
    assertThat(crs.awaitEvents(restore, "Normal"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getReason()).isEqualTo("RestoreCompleted");
              assertThat(event.getMessage())
                  .contains(file)
                  .contains("created=" + SampleApplication.OBJECTS);
            });
    assertThat(crs.events(restore, "Warning")).isEmpty();
    crs.awaitLeaseReleased(SYSTEM);

    // A completed Restore is never processed again (docs/rancher-compat.md#restore-status),
    // whatever changes on it: neither a new
    // label nor a new generation brings back an object deleted after the restore.
    client.configMaps().inNamespace(app.namespace()).withName("settings").delete();
    client
        .resources(Restore.class)
        .withName("rit-complete-pv")
        .edit(
            r -> {
              r.getMetadata().getLabels().put("touched", "yes");
              r.getSpec().setIgnoreErrors(true);
              return r;
            });
    assertThat(crs.restore("rit-complete-pv").getMetadata().getGeneration()).isEqualTo(2L);
    await("ConfigMap settings stays deleted: the completed Restore does not run again")
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> app.configMap("settings") == null);
    Restore after = crs.restore("rit-complete-pv");
    assertThat(after.getStatus().getRestoreCompletionTs())
        .isEqualTo(restore.getStatus().getRestoreCompletionTs());
    assertThat(after.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(after.getStatus().getConditions())
        .usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(restore.getStatus().getConditions());
    assertThat(crs.events(after, "Normal")).hasSize(1);
  }

  @Test
  void restoresFromS3ByExactKey() {
    SampleApplication app = new SampleApplication(client, "rit-complete-s3").create();
    crs.resourceSet("rit-complete-s3", app.selectors());
    String file =
        crs.backUp("rit-complete-s3", "rit-complete-s3", spec -> spec.setStorageLocation(s3()));
    assertThat(s3.objectKeys(BUCKET)).contains(FOLDER + "/" + file);
    assertThat(backups.resolve(file)).doesNotExist();
    app.deleteObjects();

    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    crs.createRestore("rit-complete-s3", file, spec -> spec.setStorageLocation(s3()));
    Restore restore = crs.awaitCompleted("rit-complete-s3");

    app.assertRestored();
    assertCompleted(restore, "S3", before);
    assertThat(restore.getStatus().getSummary())
        .startsWith("created=" + SampleApplication.OBJECTS + " ");
    crs.awaitLeaseReleased(SYSTEM);

    // The key must match exactly (docs/rancher-compat.md#restore-location): a prefix of an existing
    // key is not found.
    String prefix = file.substring(0, file.length() - ".gz".length());
    crs.createRestore("rit-complete-s3-prefix", prefix, spec -> spec.setStorageLocation(s3()));
    Restore missing = crs.awaitStalled("rit-complete-s3-prefix");
    assertThat(BackupRestoreClient.condition(missing, Conditions.RECONCILING).getMessage())
        .isEqualTo(
            "failed to download s3 backup: no backup files found with prefix ["
                + FOLDER
                + "/"
                + prefix
                + "] in bucket ["
                + BUCKET
                + "]");
    assertThat(missing.getStatus().getRestoreCompletionTs()).isNull();
    crs.awaitLeaseReleased(SYSTEM);
  }

  private static StorageLocation s3() {
    S3ObjectStore store = new S3ObjectStore();
    store.setBucketName(BUCKET);
    store.setEndpoint(s3.endpoint());
    store.setFolder(FOLDER);
    store.setCredentialSecretName(S3_SECRET);
    store.setCredentialSecretNamespace(SYSTEM);
    StorageLocation location = new StorageLocation();
    location.setS3(store);
    return location;
  }

  /**
   * Rancher's success status (docs/rancher-compat.md#restore-status): only Ready "Completed", and
   * the three fields.
   */
  private static void assertCompleted(Restore restore, String source, Instant notBefore) {
    RestoreStatus status = restore.getStatus();
    List<Condition> conditions = status.getConditions();
    assertThat(conditions).hasSize(1);
    assertThat(conditions.get(0).getType()).isEqualTo(Conditions.READY);
    assertThat(conditions.get(0).getStatus()).isEqualTo("True");
    assertThat(conditions.get(0).getMessage()).isEqualTo("Completed");
    assertThat(status.getRestoreCompletionTs())
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})");
    Instant completed = OffsetDateTime.parse(status.getRestoreCompletionTs()).toInstant();
    assertThat(completed).isBetween(notBefore, Instant.now());
    assertThat(status.getObservedGeneration()).isEqualTo(restore.getMetadata().getGeneration());
    assertThat(status.getBackupSource()).isEqualTo(source);
  }
}

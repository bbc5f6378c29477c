package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.files;
import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.S3ProxyServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schedules that never die (issue 9, reproduction 2): a recurring Backup whose run fails for a
 * reason that needs the user (a broken encryption Secret, a rotated S3 key) records the failure,
 * keeps {@code nextSnapshotAt} in the future, and its next run after the fix succeeds without any
 * edit of the Backup.
 */
class RecurringBackupFailuresIT {
  private static final String SYSTEM = "recurring-failures-system";
  private static final String DATA = "recurring-failures-data";
  private static final String RESOURCE_SET = "recurring-failures-set";
  private static final String BUCKET = "recurring-failures";
  private static final String SCHEDULE = "@every 5s";

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.inProcess(SYSTEM);

  private static S3ProxyServer s3;
  private static BackupFixtures fixtures;

  @BeforeAll
  static void data() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    fixtures = new BackupFixtures(OPERATOR.client(), "recurring-failures");
    fixtures.namespace(DATA);
    fixtures.configMap(DATA, "only", Map.of("k", "v"));
    fixtures.resourceSet(
        RESOURCE_SET, List.of(selector("v1", List.of("configmaps"), List.of(DATA))), List.of());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    fixtures.cleanUp();
    s3.close();
  }

  @Test
  void aBrokenThenFixedEncryptionSecretResumesTheSchedule() {
    fixtures.secret(SYSTEM, "broken-enc", Map.of(EncryptionConfig.SECRET_DATA_KEY, "not: [yaml"));
    Backup created =
        fixtures.createBackup(
            "broken-enc-every",
            RESOURCE_SET,
            spec -> {
              spec.setSchedule(SCHEDULE);
              spec.setEncryptionConfigSecretName("broken-enc");
            });

    Backup stalled = fixtures.awaitCondition(created.getMetadata().getName(), "Stalled", c -> true);
    assertThat(BackupFixtures.message(stalled, "Reconciling")).contains("broken-enc");
    assertScheduleKeptTrue(stalled);

    replaceSecret("broken-enc", Map.of(EncryptionConfig.SECRET_DATA_KEY, validConfig()));

    Backup done = awaitSuccessAfterTheFix(created);
    assertThat(files(OPERATOR.localDirectory()))
        .anyMatch(name -> name.startsWith("broken-enc-every-") && name.endsWith(".tar.gz.enc"));
    assertThat(fixtures.events(created, "BackupStalled")).isNotEmpty();
    assertThat(done.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void aRotatedS3KeyResumesTheScheduleOnceTheSecretIsUpdated() {
    fixtures.secret(
        SYSTEM,
        "rotated-s3",
        Map.of("accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", "the-old-rotated-key"));
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, SYSTEM, "rotated-s3");
    Backup created =
        fixtures.createBackup(
            "rotated-s3-every",
            RESOURCE_SET,
            spec -> {
              spec.setSchedule(SCHEDULE);
              spec.setStorageLocation(location);
            });

    Backup stalled = fixtures.awaitCondition(created.getMetadata().getName(), "Stalled", c -> true);
    assertThat(BackupFixtures.message(stalled, "Reconciling")).contains("access denied");
    assertScheduleKeptTrue(stalled);

    replaceSecret(
        "rotated-s3",
        Map.of("accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY));

    awaitSuccessAfterTheFix(created);
    assertThat(s3.objectKeys(BUCKET)).anyMatch(key -> key.startsWith("rotated-s3-every-"));
  }

  /** A failed run still names a next run, in the future, and that run is the schedule's. */
  private static void assertScheduleKeptTrue(Backup failed) {
    String next = failed.getStatus().getNextSnapshotAt();
    assertThat(next).as("nextSnapshotAt after a failed run").isNotNull();
    assertThat(ZonedDateTime.parse(next).toInstant()).isAfter(Instant.now().minusSeconds(2));
    assertThat(BackupFixtures.condition(failed, "Stalled").getStatus()).isEqualTo("True");
  }

  /** The first run after the fix completes within a few schedule intervals, spec untouched. */
  private static Backup awaitSuccessAfterTheFix(Backup created) {
    String name = created.getMetadata().getName();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Backup backup = fixtures.backup(name);
              assertThat(backup.getStatus().getLastSnapshotTs()).isNotNull();
              assertThat(BackupFixtures.message(backup, "Ready")).isEqualTo("Completed");
            });
    Backup done = fixtures.backup(name);
    assertThat(BackupFixtures.condition(done, "Stalled")).isNull();
    assertThat(ZonedDateTime.parse(done.getStatus().getNextSnapshotAt()))
        .isAfter(ZonedDateTime.parse(done.getStatus().getLastSnapshotTs()));
    return done;
  }

  private static void replaceSecret(String name, Map<String, String> data) {
    OPERATOR
        .client()
        .secrets()
        .inNamespace(SYSTEM)
        .withName(name)
        .edit(
            secret -> {
              secret.setData(null);
              secret.setStringData(data);
              return secret;
            });
  }

  private static String validConfig() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources:
              - configmaps
            providers:
              - aescbc:
                  keys:
                    - name: key1
                      secret: %s
        """
        .formatted(Base64.getEncoder().encodeToString(key));
  }
}

package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.files;
import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.S3ProxyServer;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recurring Backups (docs/rancher-compat.md#backup-lifecycle, #retention, #schedule): the first
 * backup runs at once, the next at {@code nextSnapshotAt}, and retention keeps the newest {@code
 * retentionCount} archives, in the local directory and in S3 alike.
 */
class RecurringBackupIT {
  private static final String OPERATOR_NAMESPACE = "backup-recurring-system";
  private static final String RESOURCE_SET = "backup-recurring-set";
  private static final String BUCKET = "recurring";
  private static final String SCHEDULE = "@every 5s";

  private static Path localDirectory;
  private static S3ProxyServer s3;

  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.inProcess(OPERATOR_NAMESPACE);

  private static BackupFixtures fixtures;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = OPERATOR.localDirectory();
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    fixtures = new BackupFixtures(OPERATOR.client(), "backup-recurring");
    fixtures.namespace("backup-recurring-data");
    fixtures.configMap("backup-recurring-data", "only", Map.of("k", "v"));
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(selector("v1", List.of("configmaps"), List.of("backup-recurring-data"))),
        List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fixtures.cleanUp();
    s3.close();
  }

  @Test
  void recurringBackupsRunOnScheduleAndKeepRetentionCountArchives() {
    // Both run side by side, to keep the test short.
    Backup local =
        fixtures.createBackup(
            "every-local",
            RESOURCE_SET,
            spec -> {
              spec.setSchedule(SCHEDULE);
              spec.setRetentionCount(2L);
            });
    Backup remote =
        fixtures.createBackup(
            "every-s3",
            RESOURCE_SET,
            spec -> {
              spec.setSchedule(SCHEDULE);
              spec.setRetentionCount(2L);
              spec.setStorageLocation(
                  BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-creds"));
              spec.getStorageLocation().getS3().setFolder("recurring");
            });

    assertFirstRunIsImmediate(local, Duration.ofSeconds(5));
    assertFirstRunIsImmediate(remote, Duration.ofSeconds(5));

    assertRunsAndRetention(
        local,
        () -> files(localDirectory).stream().filter(n -> n.contains("every-local")).toList());
    assertRunsAndRetention(
        remote,
        () ->
            s3.objectKeys(BUCKET).stream()
                .map(key -> key.substring("recurring/".length()))
                .toList());
    assertThat(files(localDirectory)).noneMatch(name -> name.startsWith("."));
    assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty();
  }

  /**
   * An hourly schedule tells "at once" from "at the first tick" without a wall-clock limit that a
   * loaded machine could break: waiting for the tick would take an hour, far past the deadline.
   */
  @Test
  void theFirstRunOfASchedulerDoesNotWaitForTheFirstTick() {
    Backup hourly =
        fixtures.createBackup(
            "hourly-local",
            RESOURCE_SET,
            spec -> {
              spec.setSchedule("@every 1h");
              spec.setRetentionCount(2L);
            });
    assertFirstRunIsImmediate(hourly, Duration.ofHours(1));
    assertThat(files(localDirectory)).anyMatch(n -> n.startsWith("hourly-local-"));
  }

  private static void assertFirstRunIsImmediate(Backup created, Duration interval) {
    String name = created.getMetadata().getName();
    Backup first =
        fixtures.awaitBackup(
            name, b -> b.getStatus() != null && b.getStatus().getLastSnapshotTs() != null);
    ZonedDateTime createdAt = ZonedDateTime.parse(created.getMetadata().getCreationTimestamp());
    ZonedDateTime last = ZonedDateTime.parse(first.getStatus().getLastSnapshotTs());
    assertThat(Duration.between(createdAt, last)).isLessThan(interval);
    assertThat(fixtures.rawStatus(name)).containsEntry("backupType", "Recurring");
    assertNextRunFollowsTheLast(first, interval);
  }

  /**
   * Waits for at least three runs (status updated each time, one Event each), then checks that
   * exactly two archives remain: the newest, named in the status, and the one before.
   */
  private static void assertRunsAndRetention(Backup created, Supplier<List<String>> archives) {
    String name = created.getMetadata().getName();
    Set<String> fileNamesSeen = new ConcurrentSkipListSet<>();
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Backup backup = fixtures.backup(name);
              if (backup.getStatus().getFilename() != null) {
                fileNamesSeen.add(backup.getStatus().getFilename());
              }
              assertThat(fileNamesSeen).hasSizeGreaterThanOrEqualTo(3);
              // Between two runs: the newest archive and one more, nothing else.
              List<String> present = archives.get();
              assertThat(present).hasSize(2).contains(backup.getStatus().getFilename());
              assertThat(fileNamesSeen).containsAll(present);
              assertThat(backup.getStatus().getSummary()).endsWith(" retentionDeleted=1");
              assertNextRunFollowsTheLast(backup);
            });
    // The Event of a run is recorded right after its status write: wait for it rather than race it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(fixtures.events(created, "BackupCompleted"))
                    .hasSizeGreaterThanOrEqualTo(3));
    List<Event> completed = fixtures.events(created, "BackupCompleted");
    assertThat(completed).allSatisfy(e -> assertThat(e.getType()).isEqualTo("Normal"));
    assertThat(fixtures.events(created, "BackupFailed")).isEmpty();
    assertThat(BackupFixtures.condition(fixtures.backup(name), "Ready").getMessage())
        .isEqualTo("Completed");
  }

  /** robfig's @every: the next run is the completion time (whole seconds) plus the interval. */
  private static void assertNextRunFollowsTheLast(Backup backup) {
    assertNextRunFollowsTheLast(backup, Duration.ofSeconds(5));
  }

  private static void assertNextRunFollowsTheLast(Backup backup, Duration interval) {
    String last = backup.getStatus().getLastSnapshotTs();
    String next = backup.getStatus().getNextSnapshotAt();
    assertThat(next).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    assertThat(Duration.between(ZonedDateTime.parse(last), ZonedDateTime.parse(next)))
        .isEqualTo(interval);
  }
}

package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.condition;
import static dev.backuprestore.testing.BackupFixtures.files;
import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.testing.ArchiveFiles;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.S3ProxyServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One-time Backups to the dev-mode local directory and to S3 over plain HTTP, with the status,
 * Events and run-once semantics of Rancher Backups (docs/rancher-compat.md#backup-status,
 * #backup-lifecycle, #file-name, #storage-selection, #s3).
 */
class BackupIT {
  private static final String OPERATOR_NAMESPACE = "backupit-system";
  private static final String DATA_NAMESPACE = "backupit-data";
  private static final String RESOURCE_SET = "backupit-configmaps";
  private static final String BUCKET = "plain";

  private static Path localDirectory;
  private static S3ProxyServer s3;

  @RegisterExtension
  static final OperatorExtension OPERATOR = OperatorExtension.inProcess(OPERATOR_NAMESPACE);

  private static KubernetesClient client;
  private static BackupFixtures fixtures;
  private static String clusterId;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = OPERATOR.localDirectory();
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    client = OPERATOR.client();
    fixtures = new BackupFixtures(client, "backupit");
    clusterId = fixtures.clusterId();
    fixtures.namespace(DATA_NAMESPACE);
    fixtures.configMap(DATA_NAMESPACE, "first", Map.of("greeting", "hello"));
    fixtures.configMap(DATA_NAMESPACE, "second", Map.of("greeting", "bonjour"));
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(selector("v1", List.of("configmaps"), List.of(DATA_NAMESPACE))),
        List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fixtures.cleanUp();
    s3.close();
  }

  @Test
  void aOneTimeBackupWritesOneArchiveToTheLocalDirectoryAndNeverRunsAgain() throws Exception {
    Backup created = fixtures.createBackup("local-once", RESOURCE_SET, spec -> {});

    Backup done = fixtures.awaitCompleted("local-once");
    String fileName = done.getStatus().getFilename();
    assertCompleted(done, "PV", 2, Files.size(localDirectory.resolve(fileName)));
    assertThat(files(localDirectory)).containsExactly(fileName);
    // Mode 0644 as Rancher's archives (docs/rancher-compat.md#local-volume).
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(localDirectory.resolve(fileName))))
        .isEqualTo("rw-r--r--");
    assertThat(objectNames(ArchiveFiles.read(localDirectory.resolve(fileName))))
        .containsExactly(
            "configmaps.#v1/backupit-data/first.json",
            "configmaps.#v1/backupit-data/second.json",
            "filters/filters.json");
    assertOneCompletedEvent(created, fileName, "PV");

    // Changes that do not touch the spec (a label, a status field) must not start a new backup.
    client.resources(Backup.class).withName("local-once").edit(b -> addLabel(b, "touched", "yes"));
    Backup statusTouched = fixtures.backup("local-once");
    statusTouched.getStatus().setSummary("edited by the test");
    client.resources(Backup.class).resource(statusTouched).patchStatus();
    Thread.sleep(3_000);
    Backup untouched = fixtures.backup("local-once");
    assertThat(files(localDirectory)).containsExactly(fileName);
    assertThat(untouched.getStatus().getFilename()).isEqualTo(fileName);
    assertThat(untouched.getStatus().getLastSnapshotTs())
        .isEqualTo(done.getStatus().getLastSnapshotTs());
    assertThat(fixtures.events(created, "BackupCompleted")).hasSize(1);

    // Editing the spec raises the generation: exactly one new backup.
    client.resources(Backup.class).withName("local-once").edit(b -> retention(b, 3L));
    Backup again = fixtures.awaitCompleted("local-once");
    assertThat(again.getStatus().getObservedGeneration()).isEqualTo(2L);
    String secondFile = again.getStatus().getFilename();
    assertThat(secondFile).isNotEqualTo(fileName);
    assertCompleted(again, "PV", 2, Files.size(localDirectory.resolve(secondFile)));
    Thread.sleep(2_000);
    assertThat(files(localDirectory)).containsExactlyInAnyOrder(fileName, secondFile);
    assertThat(fixtures.events(created, "BackupCompleted")).hasSize(2);
  }

  /**
   * An operator killed mid-upload never aborts its multipart upload; the next run of the same
   * Backup (the resumed one, after a restart) does, and leaves other Backups' uploads alone.
   */
  @Test
  void aRunAbortsTheUploadsOfItsBackupThatAKilledProcessLeft() {
    String orphan = "orphans/s3-orphaned-" + clusterId + "-2026-12-01T00-00-00Z.tar.gz";
    String othersRun = "orphans/s3-orphaned-other-" + clusterId + "-2026-12-01T00-00-00Z.tar.gz";
    // A bucket of its own: the other tests expect theirs free of pending uploads.
    String bucket = "orphans";
    s3.createBucket(bucket);
    s3.startMultipartUpload(bucket, orphan);
    s3.startMultipartUpload(bucket, othersRun);
    assertThat(s3.pendingMultipartUploads(bucket)).contains(orphan, othersRun);

    StorageLocation location = BackupFixtures.s3(s3, bucket, OPERATOR_NAMESPACE, "s3-creds");
    location.getS3().setFolder("orphans");
    fixtures.createBackup("s3-orphaned", RESOURCE_SET, spec -> spec.setStorageLocation(location));
    Backup done = fixtures.awaitCompleted("s3-orphaned");

    assertThat(s3.objectKeys(bucket)).contains("orphans/" + done.getStatus().getFilename());
    assertThat(s3.pendingMultipartUploads(bucket)).doesNotContain(orphan).contains(othersRun);
  }

  @Test
  void aOneTimeBackupUploadsToS3OverPlainHttpInDevMode() throws Exception {
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-creds");
    location.getS3().setFolder("/team-a/nightly/");
    Backup created =
        fixtures.createBackup("s3-once", RESOURCE_SET, spec -> spec.setStorageLocation(location));

    Backup done = fixtures.awaitCompleted("s3-once");
    String fileName = done.getStatus().getFilename();
    String key = "team-a/nightly/" + fileName;
    assertThat(s3.objectKeys(BUCKET)).containsExactly(key);
    assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty();
    byte[] archive = download(fileName);
    assertCompleted(done, "S3", 2, archive.length);
    assertThat(objectNames(ArchiveFiles.read(new java.io.ByteArrayInputStream(archive))))
        .containsExactly(
            "configmaps.#v1/backupit-data/first.json",
            "configmaps.#v1/backupit-data/second.json",
            "filters/filters.json");
    assertOneCompletedEvent(created, fileName, "S3");

    Thread.sleep(2_000);
    assertThat(s3.objectKeys(BUCKET)).containsExactly(key);
    assertThat(fixtures.backup("s3-once").getStatus().getLastSnapshotTs())
        .isEqualTo(done.getStatus().getLastSnapshotTs());
  }

  /**
   * Status exactly as Rancher writes it on success (docs/rancher-compat.md#backup-status,
   * #backup-lifecycle), plus our summary.
   */
  private void assertCompleted(Backup backup, String location, long objects, long bytes) {
    String name = backup.getMetadata().getName();
    List<Condition> conditions = backup.getStatus().getConditions();
    assertThat(conditions)
        .extracting(Condition::getType, Condition::getStatus, Condition::getMessage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ready", "True", "Completed"),
            org.assertj.core.groups.Tuple.tuple("Uploaded", "True", null));
    for (Condition condition : conditions) {
      assertThat(OffsetDateTime.parse(condition.getLastUpdateTime())).isNotNull();
      assertThat(OffsetDateTime.parse(condition.getLastTransitionTime())).isNotNull();
    }
    assertThat(condition(backup, "Reconciling")).isNull();

    Map<String, Object> raw = fixtures.rawStatus(name);
    assertThat(raw)
        .containsEntry("backupType", "One-time")
        .containsEntry("storageLocation", location)
        .containsEntry("observedGeneration", backup.getMetadata().getGeneration().intValue())
        .containsEntry("summary", "objects=" + objects + " bytes=" + bytes + " retentionDeleted=0")
        .doesNotContainKey("nextSnapshotAt");

    String fileName = backup.getStatus().getFilename();
    Matcher matcher =
        Pattern.compile(
                Pattern.quote(name + "-" + clusterId + "-")
                    + "(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z)\\.tar\\.gz")
            .matcher(fileName);
    assertThat(matcher.matches()).as("file name %s", fileName).isTrue();
    ZonedDateTime stamped =
        ZonedDateTime.parse(
            matcher.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ssXXX"));

    String lastSnapshot = backup.getStatus().getLastSnapshotTs();
    assertThat(lastSnapshot).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    ZonedDateTime snapshot = ZonedDateTime.parse(lastSnapshot);
    assertThat(stamped).isBeforeOrEqualTo(snapshot);
    assertThat(snapshot)
        .isAfterOrEqualTo(
            ZonedDateTime.parse(backup.getMetadata().getCreationTimestamp())
                .truncatedTo(ChronoUnit.SECONDS))
        .isBefore(ZonedDateTime.now().plusSeconds(5));
  }

  private void assertOneCompletedEvent(Backup backup, String fileName, String location) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(fixtures.events(backup, "BackupCompleted")).hasSize(1));
    Event event = fixtures.events(backup, "BackupCompleted").get(0);
    assertThat(event.getType()).isEqualTo("Normal");
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("Backup");
    assertThat(event.getInvolvedObject().getName()).isEqualTo(backup.getMetadata().getName());
    assertThat(event.getMessage()).contains(fileName).contains(location);
  }

  private static List<String> objectNames(ArchiveFiles archive) {
    return archive.files().keySet().stream().sorted().toList();
  }

  private byte[] download(String fileName) throws Exception {
    S3Location location =
        S3Location.builder(BUCKET)
            .endpoint(s3.endpoint())
            .folder("team-a/nightly")
            .credentials(
                new dev.backuprestore.storage.S3Credentials(
                    S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
            .useHttps(false)
            .build();
    try (S3Store store = new S3Store(location);
        InputStream in = store.open(fileName)) {
      return in.readAllBytes();
    }
  }

  private static Backup addLabel(Backup backup, String key, String value) {
    backup.getMetadata().getLabels().put(key, value);
    return backup;
  }

  private static Backup retention(Backup backup, Long count) {
    backup.getSpec().setRetentionCount(count);
    return backup;
  }
}

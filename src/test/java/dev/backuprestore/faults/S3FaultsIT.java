package dev.backuprestore.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.testing.ArchiveFiles;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.FaultProxy;
import dev.backuprestore.testing.FaultProxy.Break;
import dev.backuprestore.testing.FaultProxy.Direction;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.SampleApplication;
import dev.backuprestore.testing.TestFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3 over a bad network (docs/reliability.md): the operator talks to a real S3 server (S3Proxy)
 * through a {@link FaultProxy} that adds latency, resets connections in the middle of an upload or
 * a download, or truncates a download. A backup either completes (the SDK retries a request) or
 * fails with a clear, transient status and leaves neither an object nor a pending multipart upload;
 * a restore that cannot download fails clearly and changes nothing in the cluster; once the network
 * heals, the next attempt succeeds.
 *
 * <p>The archive (about 12 MiB of incompressible ConfigMaps and a {@link SampleApplication}) is
 * bigger than one 8 MiB upload part, so every backup is a multipart upload.
 */
class S3FaultsIT {
  private static final String OPERATOR_NAMESPACE = "s3-faults-system";
  private static final String BIG_NAMESPACE = "s3-faults-big";
  private static final String BUCKET = "faults";
  private static final String RESOURCE_SET = "s3-faults-set";
  private static final int BIG_OBJECTS = 18;
  private static final int ENTRIES = BIG_OBJECTS + SampleApplication.OBJECTS + 1; // + filters
  private static final long MIB = 1024 * 1024;

  private static Path localDirectory;
  private static S3ProxyServer s3;
  private static FaultProxy network;
  private static OperatorHarness operator;
  private static BackupFixtures fixtures;
  private static BackupRestoreClient api;
  private static SampleApplication app;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = Files.createTempDirectory("s3-faults-local");
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    network = FaultProxy.to("127.0.0.1", s3.uri().getPort());
    operator =
        OperatorHarness.start(OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, false));
    fixtures = new BackupFixtures(operator.client(), "s3-faults");
    api = new BackupRestoreClient(operator.client(), "s3-faults");
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    fixtures.incompressibleConfigMaps(BIG_NAMESPACE, BIG_OBJECTS, 675);
    app = new SampleApplication(operator.client(), "s3-faults-app").create();
    api.resourceSet(
        RESOURCE_SET,
        BackupRestoreClient.selector("v1", "^configmaps$", BIG_NAMESPACE),
        app.selectors()[0],
        app.selectors()[1]);
  }

  @AfterEach
  void heal() {
    network.heal();
  }

  @AfterAll
  static void stop() throws Exception {
    api.deleteAll();
    fixtures.cleanUp();
    operator.close();
    network.close();
    s3.close();
    TestFiles.deleteRecursively(localDirectory);
  }

  @Test
  void aSlowS3StillGetsACompleteArchive() throws Exception {
    network.latencyPerConnection(Duration.ofMillis(200)).latencyPerChunk(Duration.ofMillis(10));

    Backup done = backUpAndAwait("slow");

    assertOneCompleteArchive("slow", done.getStatus().getFilename());
    assertThat(fixtures.events(done, "BackupFailed")).isEmpty();
  }

  @Test
  void aConnectionResetMidUploadIsRetriedAndTheBackupCompletes() throws Exception {
    int brokenBefore = network.brokenConnections();
    network.breakAfter(Direction.UPSTREAM, 2 * MIB, Break.RESET, 1);

    Backup done = backUpAndAwait("reset-once");

    assertThat(network.brokenConnections() - brokenBefore)
        .as("connections reset mid-part")
        .isEqualTo(1);
    assertOneCompleteArchive("reset-once", done.getStatus().getFilename());
    assertThat(fixtures.events(done, "BackupFailed")).isEmpty();
  }

  @Test
  void uploadsResetEveryTimeFailClearlyLeaveNothingAndTheRetrySucceedsOnceHealed()
      throws Exception {
    int brokenBefore = network.brokenConnections();
    network.breakAfter(Direction.UPSTREAM, 2 * MIB, Break.RESET, Integer.MAX_VALUE);
    Backup created =
        fixtures.createBackup(
            "reset-always", RESOURCE_SET, spec -> spec.setStorageLocation(location("reset")));

    Backup failed =
        fixtures.awaitCondition("reset-always", "Reconciling", c -> "False".equals(c.getStatus()));
    String message = BackupFixtures.message(failed, "Reconciling");
    assertThat(message)
        .startsWith("failed to upload backup file [reset-always-")
        .contains("cannot reach")
        .contains(network.endpoint());
    fixtures.assertFailed(failed, message, false);
    // The SDK tried each request 4 times; the multipart upload was aborted, nothing is visible.
    assertThat(network.brokenConnections() - brokenBefore).isGreaterThanOrEqualTo(4);
    assertThat(s3.objectKeys(BUCKET)).noneMatch(key -> key.startsWith("reset/"));
    assertThat(s3.pendingMultipartUploads(BUCKET)).noneMatch(key -> key.startsWith("reset/"));

    network.heal();
    Backup done = fixtures.awaitCompleted("reset-always");
    assertThat(done.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    assertOneCompleteArchive("reset", done.getStatus().getFilename());
  }

  @Test
  void aDownloadResetMidwayFailsTheRestoreClearlyChangesNothingAndTheRetryRestores() {
    assertDownloadFaultChangesNothingThenRestores("restore-reset", Break.RESET);
  }

  @Test
  void aTruncatedDownloadIsNotTakenForACorruptArchive() {
    assertDownloadFaultChangesNothingThenRestores("restore-truncated", Break.CLOSE);
  }

  /**
   * A Restore whose every download breaks after 1 MiB: it reports a transient failure (not Stalled:
   * the archive is fine, the network is not), the deleted objects stay deleted (nothing was applied
   * from a partial archive), and once the network heals the retry restores them.
   */
  private void assertDownloadFaultChangesNothingThenRestores(String name, Break how) {
    if (app.configMap("settings") == null) {
      app.create(); // another test failed half-way
    }
    String fileName = backUpAndAwait(name).getStatus().getFilename();
    app.deleteObjects();
    int brokenBefore = network.brokenConnections();
    network.breakAfter(Direction.DOWNSTREAM, MIB, how, Integer.MAX_VALUE);

    Restore created =
        api.createRestore(
            name,
            fileName,
            spec -> {
              spec.setStorageLocation(location(name));
              spec.setPrune(false);
            });
    Restore failed = api.awaitReconcilingError(name, fileName);
    assertThat(BackupRestoreClient.condition(failed, "Stalled")).as("Stalled").isNull();
    assertThat(failed.getStatus().getRestoreCompletionTs()).isNull();
    assertThat(api.awaitEvents(created, "Warning"))
        .anySatisfy(e -> assertThat(e.getMessage()).contains(fileName));
    assertThat(network.brokenConnections() - brokenBefore).isPositive();
    app.assertDeleted();

    network.heal();
    api.awaitCompleted(name);
    app.assertRestored();
    api.awaitLeaseReleased(OPERATOR_NAMESPACE);
  }

  private static Backup backUpAndAwait(String name) {
    fixtures.createBackup(name, RESOURCE_SET, spec -> spec.setStorageLocation(location(name)));
    return fixtures.awaitCompleted(name);
  }

  /** The bucket through the fault proxy, under {@code folder}. */
  private static StorageLocation location(String folder) {
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-creds");
    location.getS3().setEndpoint(network.endpoint());
    location.getS3().setFolder(folder);
    return location;
  }

  /** Exactly one object in the folder, no pending upload, and it is the whole archive. */
  private static void assertOneCompleteArchive(String folder, String fileName) throws Exception {
    assertThat(s3.objectKeys(BUCKET).stream().filter(key -> key.startsWith(folder + "/")))
        .containsExactly(folder + "/" + fileName);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty());
    S3Location direct =
        S3Location.builder(BUCKET)
            .endpoint(s3.endpoint())
            .folder(folder)
            .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
            .useHttps(false)
            .build();
    try (S3Store store = new S3Store(direct);
        InputStream in = store.open(fileName)) {
      List<String> names = List.copyOf(ArchiveFiles.read(in).files().keySet());
      assertThat(names).hasSize(ENTRIES);
    }
  }
}

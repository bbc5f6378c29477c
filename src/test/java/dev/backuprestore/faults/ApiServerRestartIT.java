package dev.backuprestore.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.testing.ArchiveFiles;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.ConfigMapArchive;
import dev.backuprestore.testing.FaultProxy;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kube-apiserver restarted (same etcd, same port) in the middle of a backup and of a restore,
 * on a control plane of this class's own: the run completes or fails with a clear status, the next
 * run completes, and nothing is half-written: every archive in the bucket is whole, no multipart
 * upload is left pending, every restored object has the archive's content.
 */
class ApiServerRestartIT {
  private static final String OPERATOR_NAMESPACE = "apiserver-restart-system";
  private static final String BIG_NAMESPACE = "apiserver-restart-big";
  private static final String RESTORE_NAMESPACE = "apiserver-restart-restore";
  private static final String BUCKET = "restart";
  private static final int BIG_OBJECTS = 18;
  private static final int RESTORE_OBJECTS = 3000;
  private static final Duration APISERVER_DOWN = Duration.ofSeconds(5);

  private static LocalControlPlane plane;
  private static Path localDirectory;
  private static S3ProxyServer s3;
  private static FaultProxy network;
  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupFixtures fixtures;
  private static BackupRestoreClient api;

  @BeforeAll
  static void start() throws Exception {
    plane = LocalControlPlane.start(List.of());
    localDirectory = Files.createTempDirectory("apiserver-restart-local");
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    network = FaultProxy.to("127.0.0.1", s3.uri().getPort());
    operator =
        OperatorHarness.startOn(
            plane, OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, false));
    client = plane.client();
    fixtures = new BackupFixtures(client, "apiserver-restart");
    api = new BackupRestoreClient(client, "apiserver-restart");
  }

  @AfterAll
  static void stop() throws Exception {
    operator.close();
    plane.close();
    network.close();
    s3.close();
    TestFiles.deleteRecursively(localDirectory);
  }

  /**
   * The backup is held in the middle of its first 8 MiB part (the proxy to S3 paused after 1 MiB),
   * the apiserver goes down, S3 is released so the upload goes on while the apiserver is away for 5
   * s, then it comes back.
   */
  @Test
  void apiServerRestartedMidBackup() throws Exception {
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    fixtures.incompressibleConfigMaps(BIG_NAMESPACE, BIG_OBJECTS, 675);
    api.resourceSet(
        "restart-set", BackupRestoreClient.selector("v1", "^configmaps$", BIG_NAMESPACE));
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-creds");
    location.getS3().setEndpoint(network.endpoint());
    network.latencyPerChunk(Duration.ofMillis(5));

    fixtures.createBackup("mid-backup", "restart-set", spec -> spec.setStorageLocation(location));
    long start = network.upstreamBytes();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> network.upstreamBytes() - start > 1024 * 1024);
    network.pause();
    plane.stopApiServer();
    network.heal();
    Thread.sleep(APISERVER_DOWN.toMillis()); // the fault: the apiserver is away this long
    plane.startApiServer();

    Backup done = fixtures.awaitCompleted("mid-backup");
    assertThat(s3.objectKeys(BUCKET)).contains(done.getStatus().getFilename());
    assertEveryArchiveWhole(BIG_OBJECTS + 1);

    // The next run.
    Backup next =
        fixtures.createBackup(
            "after-restart", "restart-set", spec -> spec.setStorageLocation(location));
    assertThat(next).isNotNull();
    Backup nextDone = fixtures.awaitCompleted("after-restart");
    assertThat(s3.objectKeys(BUCKET)).contains(nextDone.getStatus().getFilename());
    assertEveryArchiveWhole(BIG_OBJECTS + 1);
  }

  /**
   * The apiserver restarts once the restore has created a tenth of 3,000 ConfigMaps: the restore
   * completes, or fails with a clear status and a second Restore of the same archive completes;
   * either way every ConfigMap ends with the archive's content.
   */
  @Test
  void apiServerRestartedMidRestore() {
    fixtures.namespace(RESTORE_NAMESPACE);
    String file =
        ConfigMapArchive.write(
            localDirectory, "mid-restore.tar.gz", RESTORE_NAMESPACE, RESTORE_OBJECTS, "archived");

    api.createRestore("mid-restore", file, spec -> spec.setPrune(false));
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> configMaps().size() >= RESTORE_OBJECTS / 10);
    plane.restartApiServer();

    Restore ended =
        await()
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> api.restore("mid-restore"),
                r ->
                    r.getStatus() != null
                        && (r.getStatus().getRestoreCompletionTs() != null
                            || BackupRestoreClient.condition(r, Conditions.STALLED) != null));
    if (ended.getStatus().getRestoreCompletionTs() == null) {
      // Failed: the status must say why, then a retry of the same archive completes.
      assertThat(BackupRestoreClient.condition(ended, Conditions.STALLED).getMessage())
          .as("Stalled message")
          .isNotBlank();
      System.out.println(
          "ApiServerRestartIT: the restore interrupted by the restart failed with: "
              + BackupRestoreClient.condition(ended, Conditions.STALLED).getMessage());
      api.awaitLeaseReleased(OPERATOR_NAMESPACE);
      api.createRestore("mid-restore-retry", file, spec -> spec.setPrune(false));
      api.awaitCompleted("mid-restore-retry", Duration.ofSeconds(180));
    }
    api.awaitLeaseReleased(OPERATOR_NAMESPACE);
    Map<String, String> values = configMaps();
    assertThat(values).hasSize(RESTORE_OBJECTS);
    for (int i = 0; i < RESTORE_OBJECTS; i++) {
      assertThat(values.get(ConfigMapArchive.name(i)))
          .as("ConfigMap %s", ConfigMapArchive.name(i))
          .isEqualTo(ConfigMapArchive.value("archived", i));
    }
  }

  /** name -> data.value of the ConfigMaps in the restore namespace. */
  private static Map<String, String> configMaps() {
    return client.configMaps().inNamespace(RESTORE_NAMESPACE).list().getItems().stream()
        .collect(
            Collectors.toMap(
                cm -> cm.getMetadata().getName(), ApiServerRestartIT::value, (a, b) -> a));
  }

  private static String value(ConfigMap configMap) {
    return configMap.getData() == null ? "" : configMap.getData().getOrDefault("value", "");
  }

  /** No pending multipart upload, and every object in the bucket is a whole archive. */
  private static void assertEveryArchiveWhole(int entries) throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty());
    S3Location direct =
        S3Location.builder(BUCKET)
            .endpoint(s3.endpoint())
            .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
            .useHttps(false)
            .build();
    try (S3Store store = new S3Store(direct)) {
      for (String key : s3.objectKeys(BUCKET)) {
        try (InputStream in = store.open(key)) {
          assertThat(ArchiveFiles.read(in).files()).as("entries of %s", key).hasSize(entries);
        }
      }
    }
  }
}

package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.FaultProxy;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.S3ProxyServer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 resetting connections (TCP RST) in the middle of an upload and of a download, and S3 with
 * added latency, through a loopback {@link FaultProxy} in front of the S3 server: the backup and
 * the restore complete once S3 behaves, with exactly one complete archive and no pending multipart
 * upload.
 */
class S3FaultsIT {
  private static final String SYSTEM = "s3-faults-system";
  private static final String DATA = "s3-faults-data";
  private static final String BUCKET = "s3-faults";
  private static final int OBJECTS = 16;

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.inProcess(SYSTEM);

  private static S3ProxyServer s3;
  private static FaultProxy proxy;
  private static BackupFixtures fixtures;
  private static BackupRestoreClient crs;

  @BeforeAll
  static void data() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    proxy = FaultProxy.start(s3.uri().getPort());
    fixtures = new BackupFixtures(OPERATOR.client(), "s3-faults");
    crs = new BackupRestoreClient(OPERATOR.client(), "s3-faults");
    fixtures.namespace(DATA);
    fixtures.s3CredentialSecret(SYSTEM, "s3-creds");
    // About 14 MB of incompressible data: an archive of two multipart parts.
    SecureRandom random = new SecureRandom();
    IntStream.range(0, OBJECTS)
        .forEach(
            i -> {
              byte[] noise = new byte[640 * 1024];
              random.nextBytes(noise);
              fixtures.configMap(
                  DATA, "noise-" + i, Map.of("noise", Base64.getEncoder().encodeToString(noise)));
            });
    fixtures.resourceSet(
        "s3-faults", List.of(selector("v1", List.of("configmaps"), List.of(DATA))), List.of());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    crs.deleteAll();
    fixtures.cleanUp();
    OPERATOR.client().namespaces().withName(DATA).delete();
    proxy.close();
    s3.close();
  }

  @Test
  void connectionsResetMidUploadThenMidDownloadAndTheRetriesComplete() {
    proxy.resetAfter(FaultProxy.Direction.UPSTREAM, 3 * 1024 * 1024, 3);
    fixtures.createBackup(
        "reset-upload", "s3-faults", spec -> spec.setStorageLocation(viaProxy("upload")));

    Backup done = fixtures.awaitCompleted("reset-upload");
    assertThat(proxy.resets()).as("connections reset mid-upload").isEqualTo(3);
    assertThat(s3.objectKeys(BUCKET)).containsExactly("upload/" + done.getStatus().getFilename());
    assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty();
    assertThat(done.getStatus().getSummary()).startsWith("objects=" + OBJECTS + " ");

    // Delete the data, then restore it through connections that reset mid-download.
    OPERATOR.client().configMaps().inNamespace(DATA).withLabel(BackupFixtures.LABEL).delete();
    proxy.resetAfter(FaultProxy.Direction.DOWNSTREAM, 2 * 1024 * 1024, 3);
    crs.createRestore(
        "reset-download",
        done.getStatus().getFilename(),
        spec -> {
          spec.setPrune(false);
          spec.setStorageLocation(viaProxy("upload"));
        });

    crs.awaitCompleted("reset-download");
    assertThat(proxy.resets()).as("connections reset mid-download").isEqualTo(6);
    assertThat(OPERATOR.client().configMaps().inNamespace(DATA).list().getItems())
        .filteredOn(c -> c.getMetadata().getName().startsWith("noise-"))
        .hasSize(OBJECTS);
  }

  @Test
  void aSlowS3OnlyMakesTheBackupSlower() {
    proxy.delayEachChunk(2);
    try {
      fixtures.createBackup(
          "slow-upload", "s3-faults", spec -> spec.setStorageLocation(viaProxy("slow")));
      Backup done = fixtures.awaitCompleted("slow-upload");
      assertThat(s3.objectKeys(BUCKET)).contains("slow/" + done.getStatus().getFilename());
      assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty();
    } finally {
      proxy.delayEachChunk(0);
    }
  }

  private static StorageLocation viaProxy(String folder) {
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, SYSTEM, "s3-creds");
    location.getS3().setEndpoint("127.0.0.1:" + proxy.port());
    location.getS3().setFolder(folder);
    return location;
  }
}

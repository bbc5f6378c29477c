package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.files;
import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.testing.ArchiveFiles;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failing Backups (docs/rancher-compat.md#backup-status, #s3, #encryption-config,
 * #diff-permanent-errors, #diff-streaming): each ends in a clear status message and a Warning
 * Event, permanent ones Stalled, and none leaves anything half-written: no archive or partial file
 * in the directory, no object and no pending multipart upload in the bucket.
 */
class BackupFailureIT {
  private static final String OPERATOR_NAMESPACE = "backup-failure-system";
  private static final String DATA_NAMESPACE = "backup-failure-data";
  private static final String BIG_NAMESPACE = "backup-failure-big";
  private static final String RESOURCE_SET = "backup-failure-set";
  private static final String BIG_RESOURCE_SET = "backup-failure-big-set";
  private static final String BUCKET = "failures";

  private static Path localDirectory;
  private static S3ProxyServer s3;
  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupFixtures fixtures;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = Files.createTempDirectory("backup-failure-local");
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    operator =
        OperatorHarness.start(OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, false));
    client = operator.client();
    fixtures = new BackupFixtures(client, "backup-failure");
    fixtures.namespace(DATA_NAMESPACE);
    fixtures.configMap(DATA_NAMESPACE, "only", Map.of("k", "v"));
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(selector("v1", List.of("configmaps"), List.of(DATA_NAMESPACE))),
        List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fixtures.cleanUp();
    operator.close();
    s3.close();
    TestFiles.deleteRecursively(localDirectory);
  }

  @Test
  void aMissingBucketStallsWithRancherMessage() {
    StorageLocation location =
        BackupFixtures.s3(s3, "no-such-bucket", OPERATOR_NAMESPACE, "s3-creds");
    fixtures.createBackup("fail-bucket", RESOURCE_SET, spec -> spec.setStorageLocation(location));

    Backup failed = fixtures.awaitCondition("fail-bucket", "Stalled", c -> true);
    fixtures.assertFailed(failed, "s3 bucket [no-such-bucket] not found", true);
    assertNothingInBucket("fail-bucket");
  }

  @Test
  void wrongCredentialsStallWithoutShowingTheSecret() {
    String wrongSecret = "wrong-secret-key-that-must-never-be-shown";
    fixtures.secret(
        OPERATOR_NAMESPACE,
        "s3-wrong-creds",
        Map.of("accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", wrongSecret));
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-wrong-creds");
    fixtures.createBackup("fail-creds", RESOURCE_SET, spec -> spec.setStorageLocation(location));

    Backup failed = fixtures.awaitCondition("fail-creds", "Stalled", c -> true);
    String message = BackupFixtures.message(failed, "Reconciling");
    assertThat(message)
        .isEqualTo(
            "access denied to s3 bucket ["
                + BUCKET
                + "] at "
                + s3.endpoint()
                + " with access key ["
                + S3Credentials.redactAccessKey(S3ProxyServer.ACCESS_KEY)
                + "]: check the credentials and that they allow s3:ListBucket")
        .doesNotContain(wrongSecret)
        .doesNotContain(S3ProxyServer.ACCESS_KEY);
    fixtures.assertFailed(failed, message, true);
    assertNothingInBucket("fail-creds");
  }

  @Test
  void aCredentialSecretWithoutSecretKeyIsMalformed() {
    fixtures.secret(
        OPERATOR_NAMESPACE, "s3-half-creds", Map.of("accessKey", S3ProxyServer.ACCESS_KEY));
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-half-creds");
    fixtures.createBackup("fail-half", RESOURCE_SET, spec -> spec.setStorageLocation(location));

    Backup failed = fixtures.awaitCondition("fail-half", "Stalled", c -> true);
    fixtures.assertFailed(
        failed,
        "malformed secret "
            + OPERATOR_NAMESPACE
            + "/s3-half-creds: the following keys were not found in the data field: [secretKey]",
        true);
    assertNothingInBucket("fail-half");
  }

  @Test
  void aMissingEncryptionSecretIsRetriedUntilItExists() {
    fixtures.createBackup(
        "fail-enc-missing", RESOURCE_SET, spec -> spec.setEncryptionConfigSecretName("enc-later"));

    Backup failed = fixtures.awaitCondition("fail-enc-missing", "Reconciling", c -> true);
    fixtures.assertFailed(
        failed, "encryption config Secret " + OPERATOR_NAMESPACE + "/enc-later not found", false);
    assertNothingInDirectory("fail-enc-missing");

    // Transient: the retry succeeds once the Secret exists.
    fixtures.secret(
        OPERATOR_NAMESPACE,
        "enc-later",
        Map.of(EncryptionConfig.SECRET_DATA_KEY, secretboxConfig()));
    Backup done = fixtures.awaitCompleted("fail-enc-missing");
    assertThat(files(localDirectory)).contains(done.getStatus().getFilename());
    assertThat(done.getStatus().getFilename()).endsWith(".tar.gz.enc");
  }

  @Test
  void anEncryptionSecretWithoutTheConfigKeyStalls() {
    fixtures.secret(
        OPERATOR_NAMESPACE, "enc-wrong-key", Map.of("encryption-config.yaml", secretboxConfig()));
    fixtures.createBackup(
        "fail-enc-key", RESOURCE_SET, spec -> spec.setEncryptionConfigSecretName("enc-wrong-key"));

    Backup failed = fixtures.awaitCondition("fail-enc-key", "Stalled", c -> true);
    fixtures.assertFailed(
        failed,
        "encryption config Secret "
            + OPERATOR_NAMESPACE
            + "/enc-wrong-key: no encryptionConfig provided",
        true);
    assertNothingInDirectory("fail-enc-key");
  }

  @Test
  void anEncryptionSecretWithGarbageYamlStalls() {
    fixtures.secret(
        OPERATOR_NAMESPACE,
        "enc-garbage",
        Map.of(EncryptionConfig.SECRET_DATA_KEY, "resources: [ {providers: \n  - oops"));
    fixtures.createBackup(
        "fail-enc-garbage",
        RESOURCE_SET,
        spec -> spec.setEncryptionConfigSecretName("enc-garbage"));

    Backup failed = fixtures.awaitCondition("fail-enc-garbage", "Stalled", c -> true);
    String message = BackupFixtures.message(failed, "Reconciling");
    assertThat(message)
        .startsWith(
            "encryption config Secret "
                + OPERATOR_NAMESPACE
                + "/enc-garbage: encryption provider configuration is not valid YAML at line ");
    fixtures.assertFailed(failed, message, true);
    assertNothingInDirectory("fail-enc-garbage");
  }

  /**
   * S3 goes away while a multi-part archive streams: the attempt fails with a transient message,
   * leaves neither an object nor a pending multipart upload once S3 is back, and the retry then
   * writes one complete archive.
   */
  @Test
  void s3GoingAwayMidUploadLeavesNothingAndTheRetrySucceeds() throws Exception {
    int objects = createBigConfigMaps();
    fixtures.resourceSet(
        BIG_RESOURCE_SET,
        List.of(selector("v1", List.of("configmaps"), List.of(BIG_NAMESPACE))),
        List.of());
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-creds");
    location.getS3().setFolder("big");
    Backup created =
        fixtures.createBackup(
            "fail-midway", BIG_RESOURCE_SET, spec -> spec.setStorageLocation(location));

    // The first part is sent once 8 MiB of archive exist; stop S3 right then.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> !s3.pendingMultipartUploads(BUCKET).isEmpty());
    s3.stop();
    try {
      Backup failed =
          fixtures.awaitCondition("fail-midway", "Reconciling", c -> "False".equals(c.getStatus()));
      String message = BackupFixtures.message(failed, "Reconciling");
      assertThat(message).contains("cannot reach").contains(s3.endpoint());
      fixtures.assertFailed(failed, message, false);
      assertThat(fixtures.events(created, "BackupFailed"))
          .anySatisfy(
              e ->
                  assertThat(e.getMessage())
                      .startsWith("failed to upload backup file [fail-midway-")
                      .contains("] as [big/fail-midway-"));
      assertThat(s3.objectKeys(BUCKET)).noneMatch(key -> key.startsWith("big/"));
    } finally {
      s3.start();
    }

    Backup done = fixtures.awaitCompleted("fail-midway");
    String fileName = done.getStatus().getFilename();
    assertThat(s3.objectKeys(BUCKET).stream().filter(key -> key.startsWith("big/")))
        .containsExactly("big/" + fileName);
    assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty();
    assertThat(done.getStatus().getSummary()).startsWith("objects=" + objects + " ");
    try (S3Store store = new S3Store(downloadLocation("big"));
        InputStream in = store.open(fileName)) {
      assertThat(ArchiveFiles.read(in).files()).hasSize(objects + 1);
    }
  }

  /** About 36 MiB of incompressible ConfigMaps: an archive of several 8 MiB parts. */
  private static int createBigConfigMaps() {
    fixtures.namespace(BIG_NAMESPACE);
    SecureRandom random = new SecureRandom();
    int count = 40;
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              byte[] noise = new byte[675 * 1024];
              random.nextBytes(noise);
              fixtures.configMap(
                  BIG_NAMESPACE,
                  "big-" + i,
                  Map.of("noise", java.util.Base64.getEncoder().encodeToString(noise)));
            });
    return count;
  }

  private static S3Location downloadLocation(String folder) {
    return S3Location.builder(BUCKET)
        .endpoint(s3.endpoint())
        .folder(folder)
        .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
        .useHttps(false)
        .build();
  }

  private static void assertNothingInBucket(String backupName) {
    assertThat(s3.objectKeys(BUCKET)).noneMatch(key -> key.contains(backupName));
    assertThat(s3.pendingMultipartUploads(BUCKET)).noneMatch(key -> key.contains(backupName));
  }

  private static void assertNothingInDirectory(String backupName) {
    assertThat(files(localDirectory)).noneMatch(name -> name.contains(backupName));
  }

  private static String secretboxConfig() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - secretbox:
                  keys:
                    - name: key1
                      secret: %s
        """
        .formatted(java.util.Base64.getEncoder().encodeToString(key));
  }
}

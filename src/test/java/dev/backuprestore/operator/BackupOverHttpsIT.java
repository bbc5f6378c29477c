package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outside dev mode the operator talks HTTPS to S3 (contract §2.7, §10 item 23): it trusts the
 * {@code endpointCA} given as base64 PEM, and refuses a server it cannot verify. The operator here
 * runs with a production configuration: no dev mode and no default location.
 */
class BackupOverHttpsIT {
  private static final String OPERATOR_NAMESPACE = "backup-https-system";
  private static final String RESOURCE_SET = "backup-https-configmaps";
  private static final String BUCKET = "secure";

  private static Path work;
  private static S3ProxyServer s3;
  private static OperatorHarness operator;
  private static BackupFixtures fixtures;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("backup-https");
    s3 = S3ProxyServer.https(work);
    s3.createBucket(BUCKET);
    OperatorConfig production =
        new OperatorConfig(
            OPERATOR_NAMESPACE,
            false,
            "",
            false,
            OperatorConfig.DEFAULT_DURATION_BUCKETS,
            "",
            false,
            null,
            "info",
            false,
            work.resolve("unused-dev-directory"));
    assertThat(production.defaultLocalDirectory()).isEmpty();
    operator = OperatorHarness.start(production);
    fixtures = new BackupFixtures(operator.client(), "backup-https");
    fixtures.namespace("backup-https-data");
    fixtures.configMap("backup-https-data", "only", Map.of("k", "v"));
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(selector("v1", List.of("configmaps"), List.of("backup-https-data"))),
        List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fixtures.cleanUp();
    operator.close();
    s3.close();
    TestFiles.deleteRecursively(work);
  }

  @Test
  void uploadsOverHttpsTrustingTheEndpointCa() {
    StorageLocation location = location();
    location
        .getS3()
        .setEndpointCA(
            Base64.getEncoder().encodeToString(s3.caPem().getBytes(StandardCharsets.US_ASCII)));
    fixtures.createBackup("https-trusted", RESOURCE_SET, spec -> spec.setStorageLocation(location));

    Backup done = fixtures.awaitCompleted("https-trusted");
    assertThat(fixtures.rawStatus("https-trusted")).containsEntry("storageLocation", "S3");
    assertThat(done.getStatus().getSummary()).startsWith("objects=1 ");
    assertThat(s3.objectKeys(BUCKET)).contains(done.getStatus().getFilename());
  }

  @Test
  void anUnverifiableServerIsAPermanentTlsError() {
    fixtures.createBackup(
        "https-untrusted", RESOURCE_SET, spec -> spec.setStorageLocation(location()));

    Backup failed = fixtures.awaitCondition("https-untrusted", "Stalled", c -> true);
    String message = BackupFixtures.message(failed, "Reconciling");
    assertThat(message)
        .startsWith("failed to check if s3 bucket [secure] exists: TLS connection to ")
        .contains(s3.endpoint())
        .endsWith("; check endpointCA or insecureTLSSkipVerify");
    fixtures.assertFailed(failed, message, true);
    assertThat(s3.objectKeys(BUCKET)).noneMatch(key -> key.startsWith("https-untrusted-"));
  }

  @Test
  void withoutDevModeOrDefaultLocationABackupMustNameS3() {
    fixtures.createBackup("https-nowhere", RESOURCE_SET, spec -> {});

    Backup failed = fixtures.awaitCondition("https-nowhere", "Stalled", c -> true);
    fixtures.assertFailed(
        failed,
        "backup https-nowhere needs to specify S3 details, or configure storage location at the"
            + " operator level",
        true);
  }

  private static StorageLocation location() {
    return BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-creds");
  }
}

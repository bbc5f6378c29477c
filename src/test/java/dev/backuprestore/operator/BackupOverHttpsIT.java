package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.LocalControlPlane;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Outside dev mode the operator talks HTTPS to S3 (docs/rancher-compat.md#storage-selection, #s3,
 * #default-s3): it trusts the {@code endpointCA} given as base64 PEM, refuses a server it cannot
 * verify, and sends a Backup without location to the default S3 location of the chart's {@code
 * rancher-backup-s3} Secret. The operators here run with production configurations: no dev mode.
 */
class BackupOverHttpsIT {
  private static final String OPERATOR_NAMESPACE = "backup-https-system";
  private static final String RESOURCE_SET = "backup-https-configmaps";
  private static final String DEFAULT_S3_SECRET = "rancher-backup-s3";
  private static final String BUCKET = "secure";

  private static Path work;
  private static S3ProxyServer s3;
  private static BackupFixtures fixtures;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("backup-https");
    s3 = S3ProxyServer.https(work);
    s3.createBucket(BUCKET);
    LocalControlPlane plane = LocalControlPlane.shared();
    OperatorHarness.installCrds(plane.client());
    fixtures = new BackupFixtures(plane.client(), "backup-https");
    fixtures.namespace(OPERATOR_NAMESPACE);
    fixtures.configMap(OPERATOR_NAMESPACE, "only", Map.of("k", "v"));
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    // What the chart's templates/s3-secret.yaml renders; clientConfig is `toJson | quote`.
    fixtures.secret(
        OPERATOR_NAMESPACE,
        DEFAULT_S3_SECRET,
        Map.of(
            "endpoint",
            s3.endpoint(),
            "endpointCA",
            endpointCa(),
            "bucketName",
            BUCKET,
            "folder",
            "cluster-a/",
            "credentialSecretName",
            "s3-creds",
            "credentialSecretNamespace",
            OPERATOR_NAMESPACE,
            "clientConfig",
            "{\"aws\":{\"dualStack\":false},\"bucketLookup\":\"path\"}"));
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(selector("v1", List.of("configmaps"), List.of(OPERATOR_NAMESPACE))),
        List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fixtures.cleanUp();
    s3.close();
    TestFiles.deleteRecursively(work);
  }

  /** Production settings: no dev mode, no PV; the default S3 Secret's name or empty. */
  private static OperatorConfig production(String defaultS3SecretName) {
    OperatorConfig config =
        new OperatorConfig(
            OPERATOR_NAMESPACE,
            false,
            defaultS3SecretName,
            false,
            OperatorConfig.DEFAULT_DURATION_BUCKETS,
            false,
            null,
            "info",
            false,
            work.resolve("unused-dev-directory"));
    assertThat(config.defaultLocalDirectory()).isEmpty();
    return config;
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithTheDefaultS3Location {
    private OperatorHarness operator;

    @BeforeAll
    void startOperator() {
      operator = OperatorHarness.start(production(DEFAULT_S3_SECRET));
    }

    @AfterAll
    void stopOperator() {
      operator.close();
    }

    @Test
    void uploadsOverHttpsTrustingTheEndpointCa() {
      StorageLocation location = location();
      location.getS3().setEndpointCA(endpointCa());
      fixtures.createBackup(
          "https-trusted", RESOURCE_SET, spec -> spec.setStorageLocation(location));

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
      assertThat(s3.objectKeys(BUCKET)).noneMatch(key -> key.contains("https-untrusted-"));
    }

    @Test
    void aBackupWithoutLocationUploadsToTheDefaultS3() {
      fixtures.createBackup("https-default", RESOURCE_SET, spec -> {});

      Backup done = fixtures.awaitCompleted("https-default");
      assertThat(fixtures.rawStatus("https-default")).containsEntry("storageLocation", "S3");
      assertThat(s3.objectKeys(BUCKET)).contains("cluster-a/" + done.getStatus().getFilename());
      assertThat(done.getStatus().getSummary()).startsWith("objects=1 ");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithoutAnyDefaultLocation {
    private OperatorHarness operator;

    @BeforeAll
    void startOperator() {
      operator = OperatorHarness.start(production(""));
    }

    @AfterAll
    void stopOperator() {
      operator.close();
    }

    @Test
    void aBackupMustNameS3() {
      fixtures.createBackup("https-nowhere", RESOURCE_SET, spec -> {});

      Backup failed = fixtures.awaitCondition("https-nowhere", "Stalled", c -> true);
      fixtures.assertFailed(
          failed,
          "backup https-nowhere needs to specify S3 details, or configure storage location at"
              + " the operator level",
          true);
    }
  }

  private static StorageLocation location() {
    return BackupFixtures.s3(s3, BUCKET, OPERATOR_NAMESPACE, "s3-creds");
  }

  private static String endpointCa() {
    return Base64.getEncoder().encodeToString(s3.caPem().getBytes(StandardCharsets.US_ASCII));
  }
}

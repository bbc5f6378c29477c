package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Backup;
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
 * A Backup without {@code storageLocation} goes to the operator's default S3 location, read from
 * the chart's {@code rancher-backup-s3} Secret named by {@code DEFAULT_S3_BACKUP_STORAGE_LOCATION}
 * (contract §2.6, §2.8, §10 item 25). Outside dev mode, so over HTTPS with the Secret's endpointCA.
 */
class DefaultS3LocationIT {
  private static final String OPERATOR_NAMESPACE = "backup-defs3-system";
  private static final String RESOURCE_SET = "backup-defs3-set";
  private static final String BUCKET = "defaults";

  private static Path work;
  private static S3ProxyServer s3;
  private static OperatorHarness operator;
  private static BackupFixtures fixtures;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("backup-defs3");
    s3 = S3ProxyServer.https(work);
    s3.createBucket(BUCKET);
    OperatorConfig withDefaultS3 =
        new OperatorConfig(
            OPERATOR_NAMESPACE,
            false,
            "rancher-backup-s3",
            false,
            OperatorConfig.DEFAULT_DURATION_BUCKETS,
            "",
            false,
            null,
            "info",
            false,
            work.resolve("unused-dev-directory"));
    operator = OperatorHarness.start(withDefaultS3);
    fixtures = new BackupFixtures(operator.client(), "backup-defs3");
    fixtures.configMap(OPERATOR_NAMESPACE, "sample", Map.of("k", "v"));
    fixtures.s3CredentialSecret(OPERATOR_NAMESPACE, "s3-creds");
    // What the chart's templates/s3-secret.yaml renders; clientConfig is `toJson | quote`.
    fixtures.secret(
        OPERATOR_NAMESPACE,
        "rancher-backup-s3",
        Map.of(
            "endpoint",
            s3.endpoint(),
            "endpointCA",
            Base64.getEncoder().encodeToString(s3.caPem().getBytes(StandardCharsets.US_ASCII)),
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
    operator.close();
    s3.close();
    TestFiles.deleteRecursively(work);
  }

  @Test
  void aBackupWithoutLocationUploadsToTheDefaultS3() {
    fixtures.createBackup("to-default-s3", RESOURCE_SET, spec -> {});

    Backup done = fixtures.awaitCompleted("to-default-s3");
    assertThat(fixtures.rawStatus("to-default-s3")).containsEntry("storageLocation", "S3");
    assertThat(s3.objectKeys(BUCKET))
        .containsExactly("cluster-a/" + done.getStatus().getFilename());
    assertThat(done.getStatus().getSummary()).startsWith("objects=1 ");
  }
}

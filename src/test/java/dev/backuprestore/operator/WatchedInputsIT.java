package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.PrometheusScrape;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watched inputs: a Backup waiting for a ResourceSet or an encryption Secret that does not exist
 * yet runs as soon as the input is created, not when the retry backoff next expires. The barrier is
 * the failure counter: after four failed attempts the next retry is at least 8 s away (the backoff
 * doubles from 2 s), so a run within 5 s of the fix was triggered by the input (measured: under 1 s
 * with the event sources, none within 5 s without them).
 */
class WatchedInputsIT {
  private static final String SYSTEM = "watched-inputs-system";
  private static final String DATA = "watched-inputs-data";
  private static final Duration WELL_BEFORE_THE_NEXT_RETRY = Duration.ofSeconds(5);

  @RegisterExtension
  static final OperatorExtension OPERATOR =
      OperatorExtension.inProcess(SYSTEM).withMetrics(Duration.ofSeconds(60));

  private static BackupFixtures fixtures;

  @BeforeAll
  static void data() {
    fixtures = new BackupFixtures(OPERATOR.client(), "watched-inputs");
    fixtures.namespace(DATA);
    fixtures.configMap(DATA, "only", Map.of("k", "v"));
  }

  @AfterAll
  static void cleanUp() {
    fixtures.cleanUp();
  }

  @Test
  void creatingTheMissingResourceSetRunsTheBackupAtOnce() {
    fixtures.createBackup("watched-set", "watched-set-later", spec -> {});
    awaitFailedAttempts("watched-set", 4);
    assertThat(BackupFixtures.message(fixtures.backup("watched-set"), "Reconciling"))
        .isEqualTo("ResourceSet watched-set-later not found");

    fixtures.resourceSet(
        "watched-set-later",
        List.of(selector("v1", List.of("configmaps"), List.of(DATA))),
        List.of());

    awaitCompletedWithin("watched-set", WELL_BEFORE_THE_NEXT_RETRY);
  }

  @Test
  void creatingTheMissingEncryptionSecretRunsTheBackupAtOnce() {
    fixtures.resourceSet(
        "watched-secret-set",
        List.of(selector("v1", List.of("configmaps"), List.of(DATA))),
        List.of());
    fixtures.createBackup(
        "watched-secret",
        "watched-secret-set",
        spec -> spec.setEncryptionConfigSecretName("watched-enc-later"));
    awaitFailedAttempts("watched-secret", 4);
    assertThat(BackupFixtures.message(fixtures.backup("watched-secret"), "Reconciling"))
        .contains("watched-enc-later not found");

    fixtures.secret(
        SYSTEM, "watched-enc-later", Map.of(EncryptionConfig.SECRET_DATA_KEY, config()));

    awaitCompletedWithin("watched-secret", WELL_BEFORE_THE_NEXT_RETRY);
  }

  private static void awaitFailedAttempts(String name, int attempts) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                PrometheusScrape.scrape(OPERATOR.metricsPort())
                    .series("rancher_backups_failed_total", "name", name)
                    .stream()
                    .anyMatch(sample -> sample.value() >= attempts));
  }

  private static void awaitCompletedWithin(String name, Duration limit) {
    await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Backup backup = fixtures.backup(name);
              return "Completed".equals(BackupFixtures.message(backup, "Ready"));
            });
  }

  private static String config() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - aescbc:
                  keys:
                    - name: key1
                      secret: %s
        """
        .formatted(Base64.getEncoder().encodeToString(key));
  }
}

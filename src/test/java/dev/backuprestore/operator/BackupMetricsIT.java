package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreSpec;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.PrometheusScrape;
import dev.backuprestore.testing.PrometheusScrape.Sample;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rancher's metrics (docs/rancher-compat.md#metrics): the same names, types and label names, the
 * per-attempt counters, histogram and timestamp, and the info and count gauges rebuilt from the
 * custom resources. The operator is started here with a 1 s refresh instead of Rancher's 60 s.
 */
class BackupMetricsIT {
  private static final String OPERATOR_NAMESPACE = "backup-metrics-system";
  private static final String RESOURCE_SET = "backup-metrics-set";
  private static final List<Double> DEFAULT_BUCKETS =
      List.of(0.5, 1.0, 2.5, 5.0, 7.5, 10.0, 30.0, 60.0, 120.0, Double.POSITIVE_INFINITY);

  private static Path localDirectory;
  private static OperatorRuntime runtime;
  private static KubernetesClient client;
  private static BackupFixtures fixtures;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = Files.createTempDirectory("backup-metrics-local");
    LocalControlPlane plane = LocalControlPlane.shared();
    client = plane.client();
    OperatorHarness.installCrds(client);
    fixtures = new BackupFixtures(client, "backup-metrics");
    fixtures.namespace(OPERATOR_NAMESPACE);
    OperatorConfig config = OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, true);
    assertThat(config.backupDurationBuckets()).isEqualTo(DEFAULT_BUCKETS.subList(0, 9));
    runtime =
        OperatorRuntime.start(
            config,
            new KubernetesClientBuilder().withConfig(plane.adminConfig()).build(),
            0,
            Duration.ofSeconds(1));
    fixtures.configMap(OPERATOR_NAMESPACE, "sample", Map.of("k", "v"));
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(selector("v1", List.of("configmaps"), List.of(OPERATOR_NAMESPACE))),
        List.of());
  }

  @AfterAll
  static void stop() {
    client.resources(Restore.class).withName("metrics-restore").delete();
    fixtures.cleanUp();
    runtime.close();
    TestFiles.deleteRecursively(localDirectory);
  }

  @Test
  void rancherMetricsWithTheirNamesTypesAndLabels() throws Exception {
    long startedAt = Instant.now().getEpochSecond();
    fixtures.secret(OPERATOR_NAMESPACE, "enc-no-key", Map.of("other.yaml", "x"));
    fixtures.createBackup("metrics-ok", RESOURCE_SET, spec -> {});
    fixtures.createBackup(
        "metrics-fail", RESOURCE_SET, spec -> spec.setEncryptionConfigSecretName("enc-no-key"));
    Backup ok = fixtures.awaitCompleted("metrics-ok");
    Backup failed = fixtures.awaitCondition("metrics-fail", "Stalled", c -> true);
    createRestore();

    PrometheusScrape scrape = PrometheusScrape.scrape(runtime.metricsPort());
    assertThat(scrape.types())
        .containsEntry("rancher_backups_attempted_total", "counter")
        .containsEntry("rancher_backups_failed_total", "counter")
        .containsEntry("rancher_backup_duration_seconds", "histogram")
        .containsEntry("rancher_backup_last_processed_timestamp_seconds", "gauge");

    // Counters: one attempt each; the failed series exists with 0 after a success.
    assertThat(single(scrape, "rancher_backups_attempted_total", "metrics-ok")).isEqualTo(1.0);
    assertThat(single(scrape, "rancher_backups_failed_total", "metrics-ok")).isEqualTo(0.0);
    assertThat(single(scrape, "rancher_backups_attempted_total", "metrics-fail")).isEqualTo(1.0);
    assertThat(single(scrape, "rancher_backups_failed_total", "metrics-fail")).isEqualTo(1.0);
    for (String counter :
        List.of(
            "rancher_backups_attempted_total",
            "rancher_backups_failed_total",
            "rancher_backup_last_processed_timestamp_seconds")) {
      assertThat(scrape.series(counter))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.labels().keySet()).containsExactly("name"));
    }

    // The histogram: Rancher's default buckets, one observation of a successful attempt.
    List<Sample> buckets =
        scrape.series("rancher_backup_duration_seconds_bucket", "name", "metrics-ok");
    assertThat(buckets)
        .allSatisfy(s -> assertThat(s.labels().keySet()).containsExactlyInAnyOrder("name", "le"));
    assertThat(buckets)
        .extracting(s -> Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity")))
        .containsExactlyElementsOf(DEFAULT_BUCKETS);
    assertThat(buckets.get(buckets.size() - 1).value()).isEqualTo(1.0);
    assertThat(single(scrape, "rancher_backup_duration_seconds_count", "metrics-ok"))
        .isEqualTo(1.0);
    assertThat(single(scrape, "rancher_backup_duration_seconds_sum", "metrics-ok"))
        .isPositive()
        .isLessThan(60.0);

    double processed =
        single(scrape, "rancher_backup_last_processed_timestamp_seconds", "metrics-ok");
    assertThat(processed).isBetween(startedAt - 1.0, Instant.now().getEpochSecond() + 1.0);
    assertThat(single(scrape, "rancher_backup_last_processed_timestamp_seconds", "metrics-fail"))
        .isBetween(startedAt - 1.0, Instant.now().getEpochSecond() + 1.0);

    // The gauges rebuilt from the custom resources by the periodic refresh.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              PrometheusScrape refreshed = PrometheusScrape.scrape(runtime.metricsPort());
              assertThat(refreshed.types())
                  .containsEntry("rancher_backup_info", "gauge")
                  .containsEntry("rancher_backup_count", "gauge")
                  .containsEntry("rancher_restore_info", "gauge")
                  .containsEntry("rancher_restore_count", "gauge");
              assertThat(refreshed.series("rancher_backup_info", "name", "metrics-ok"))
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.value()).isEqualTo(1.0);
                        assertThat(s.labels())
                            .containsExactlyInAnyOrderEntriesOf(
                                Map.of(
                                    "name", "metrics-ok",
                                    "status", "Completed",
                                    "resourceSetName", RESOURCE_SET,
                                    "retentionCount", "0",
                                    "backupType", "One-time",
                                    "filename", ok.getStatus().getFilename(),
                                    "storageLocation", "PV",
                                    "nextSnapshot", "N/A - One-time Backup",
                                    "lastSnapshot", ok.getStatus().getLastSnapshotTs()));
                      });
              assertThat(refreshed.series("rancher_backup_info", "name", "metrics-fail"))
                  .singleElement()
                  .satisfies(
                      s ->
                          assertThat(s.labels())
                              .containsEntry(
                                  "status", BackupFixtures.message(failed, "Reconciling"))
                              .containsEntry("filename", ""));
              assertThat(refreshed.series("rancher_backup_count"))
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.labels()).isEmpty();
                        assertThat(s.value())
                            .isEqualTo(client.resources(Backup.class).list().getItems().size());
                      });
              assertThat(refreshed.series("rancher_restore_info", "name", "metrics-restore"))
                  .singleElement()
                  .satisfies(
                      s ->
                          assertThat(s.labels())
                              .containsOnlyKeys(
                                  Set.of(
                                      "name",
                                      "status",
                                      "fileName",
                                      "prune",
                                      "storageLocation",
                                      "restoreTime"))
                              .containsEntry("fileName", "does-not-exist.tar.gz")
                              .containsEntry("prune", "true"));
              assertThat(refreshed.series("rancher_restore_count"))
                  .singleElement()
                  .satisfies(
                      s ->
                          assertThat(s.value())
                              .isEqualTo(client.resources(Restore.class).list().getItems().size())
                              .isPositive());
            });

    // A deleted Backup leaves the info gauge at the next refresh.
    client.resources(Backup.class).withName("metrics-fail").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        PrometheusScrape.scrape(runtime.metricsPort())
                            .series("rancher_backup_info", "name", "metrics-fail"))
                    .isEmpty());
  }

  private static double single(PrometheusScrape scrape, String series, String backupName) {
    List<Sample> samples = scrape.series(series, "name", backupName);
    assertThat(samples).as("%s{name=%s}", series, backupName).hasSize(1);
    return samples.get(0).value();
  }

  /** A Restore of a file that does not exist: only its metrics matter here. */
  private static void createRestore() {
    Restore restore = new Restore();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName("metrics-restore");
    restore.setMetadata(metadata);
    RestoreSpec spec = new RestoreSpec();
    spec.setBackupFilename("does-not-exist.tar.gz");
    restore.setSpec(spec);
    client.resources(Restore.class).resource(restore).create();
  }
}

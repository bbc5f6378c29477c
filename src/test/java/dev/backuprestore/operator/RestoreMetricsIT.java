package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.SampleApplication;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rancher's restore metrics (docs/rancher-compat.md#metrics): {@code rancher_restore_info} with
 * exactly its label names, one series per Restore, and {@code rancher_restore_count}, rebuilt by
 * the periodic refresh (every second here instead of 60 s, so that the test does not wait a
 * minute).
 */
class RestoreMetricsIT {
  private static final String SYSTEM = "rit-metrics-system";
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient crs;
  private static Path backups;

  @BeforeAll
  static void startOperatorWithMetrics() throws Exception {
    backups = Files.createTempDirectory("rit-metrics-backups");
    operator =
        OperatorHarness.start(
            OperatorHarness.devConfig(SYSTEM, backups, true),
            (config, operatorClient) ->
                OperatorRuntime.start(config, operatorClient, 0, Duration.ofSeconds(1)));
    client = operator.client();
    crs = new BackupRestoreClient(client, "restore-metrics");
  }

  @AfterAll
  static void stopOperator() {
    if (crs != null) {
      crs.deleteAll();
    }
    if (operator != null) {
      operator.close();
    }
    TestFiles.deleteRecursively(backups);
  }

  @Test
  void restoreInfoAndCountDescribeEveryRestore() throws Exception {
    SampleApplication app = new SampleApplication(client, "rit-metrics-app").create();
    crs.resourceSet("rit-metrics", app.selectors());
    String file = crs.backUp("rit-metrics", "rit-metrics", spec -> {});
    crs.createRestore("rit-metrics-pruning", file, spec -> {});
    crs.createRestore("rit-metrics-keeping", file, spec -> spec.setPrune(false));
    crs.createRestore("rit-metrics-missing", "rit-missing.tar.gz", spec -> {});
    Restore pruning = crs.awaitCompleted("rit-metrics-pruning");
    Restore keeping = crs.awaitCompleted("rit-metrics-keeping");
    Restore missing = crs.awaitStalled("rit-metrics-missing");
    int restores = client.resources(Restore.class).list().getItems().size();

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              String text = scrape();
              assertThat(text)
                  .contains("# TYPE rancher_restore_info gauge")
                  .contains("# TYPE rancher_restore_count gauge");
              List<Map<String, String>> info = series(text, "rancher_restore_info");
              assertThat(info)
                  .allSatisfy(
                      labels ->
                          assertThat(labels)
                              .containsOnlyKeys(
                                  "name",
                                  "status",
                                  "fileName",
                                  "prune",
                                  "storageLocation",
                                  "restoreTime",
                                  "value"))
                  .contains(
                      Map.of(
                          "name", "rit-metrics-pruning",
                          "status", "Completed",
                          "fileName", file,
                          "prune", "true",
                          "storageLocation", "PV",
                          "restoreTime", pruning.getStatus().getRestoreCompletionTs(),
                          "value", "1.0"),
                      Map.of(
                          "name", "rit-metrics-keeping",
                          "status", "Completed",
                          "fileName", file,
                          "prune", "false",
                          "storageLocation", "PV",
                          "restoreTime", keeping.getStatus().getRestoreCompletionTs(),
                          "value", "1.0"),
                      Map.of(
                          "name", "rit-metrics-missing",
                          // Rancher's status label is the first condition's message.
                          "status", missing.getStatus().getConditions().get(0).getMessage(),
                          "fileName", "rit-missing.tar.gz",
                          "prune", "true",
                          "storageLocation", "",
                          "restoreTime", "",
                          "value", "1.0"));
              assertThat(series(text, "rancher_restore_count"))
                  .containsExactly(Map.of("value", restores + ".0"));
            });
    assertThat(missing.getStatus().getConditions().get(0).getType()).isEqualTo(Conditions.READY);
  }

  private static String scrape() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics"))
            .timeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The samples of one metric, each as its labels plus "value", in the text exposition format. */
  private static List<Map<String, String>> series(String text, String metric) {
    List<Map<String, String>> result = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(metric)) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      labels.put("value", sample.group(3));
      result.add(labels);
    }
    return result;
  }
}

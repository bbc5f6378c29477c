package dev.backuprestore.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.ConfigMapArchive;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 10,000-object restore against a kube-apiserver that throttles: priority and fairness off and at
 * most 2 mutating and 10 other requests in flight, so every burst beyond that is answered 429 Too
 * Many Requests (with Retry-After). The restore must finish with every object and no object
 * reported failed: a 429 is a "try again", never a failure of the object.
 */
class ApiServerThrottlingIT {
  private static final String OPERATOR_NAMESPACE = "throttling-system";
  private static final String NAMESPACE = "throttling-data";
  private static final int OBJECTS = 10_000;

  private static LocalControlPlane plane;
  private static Path localDirectory;
  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient api;

  @BeforeAll
  static void start() throws Exception {
    plane =
        LocalControlPlane.start(
            List.of(
                "--enable-priority-and-fairness=false",
                "--max-requests-inflight=10",
                "--max-mutating-requests-inflight=2"));
    localDirectory = Files.createTempDirectory("throttling-local");
    operator =
        OperatorHarness.startOn(
            plane,
            plane.clusterAdminConfig(),
            OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, false));
    client = plane.client();
    api = new BackupRestoreClient(client, "throttling");
    new BackupFixtures(client, "throttling").namespace(NAMESPACE);
  }

  @AfterAll
  static void stop() {
    operator.close();
    plane.close();
    TestFiles.deleteRecursively(localDirectory);
  }

  @Test
  void aThrottledRestoreOfTenThousandObjectsRestoresThemAll() {
    String file =
        ConfigMapArchive.write(localDirectory, "throttled.tar.gz", NAMESPACE, OBJECTS, "archived");
    long throttledBefore = plane.apiServerRequests("code=\"429\"");

    api.createRestore("throttled", file, spec -> spec.setPrune(false));
    Restore done = api.awaitCompleted("throttled", Duration.ofMinutes(10));

    long throttled = plane.apiServerRequests("code=\"429\"") - throttledBefore;
    System.out.println("ApiServerThrottlingIT: the apiserver answered 429 " + throttled + " times");
    assertThat(throttled).as("requests answered 429 during the restore").isPositive();
    // A create sent again after a closed connection may count as an update: the sum is what counts.
    java.util.regex.Matcher counts =
        java.util.regex.Pattern.compile("^created=(\\d+) updated=(\\d+) pruned=0 failed=0")
            .matcher(done.getStatus().getSummary());
    assertThat(counts.find()).as("summary %s", done.getStatus().getSummary()).isTrue();
    assertThat(Integer.parseInt(counts.group(1)) + Integer.parseInt(counts.group(2)))
        .isEqualTo(OBJECTS);
    assertThat(done.getStatus().getConditions())
        .noneMatch(c -> Conditions.STALLED.equals(c.getType()));
    assertThat(api.events(done, "Warning")).isEmpty();
    Map<String, String> values = configMaps();
    assertThat(values).hasSize(OBJECTS);
    for (int i = 0; i < OBJECTS; i++) {
      assertThat(values.get(ConfigMapArchive.name(i)))
          .as("ConfigMap %s", ConfigMapArchive.name(i))
          .isEqualTo(ConfigMapArchive.value("archived", i));
    }
    api.awaitLeaseReleased(OPERATOR_NAMESPACE);
  }

  /** name -> data.value, listed in pages of 500. */
  private static Map<String, String> configMaps() {
    Map<String, String> values = new HashMap<>();
    String next = null;
    do {
      ConfigMapList page =
          client
              .configMaps()
              .inNamespace(NAMESPACE)
              .list(
                  new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                      .withLimit(500L)
                      .withContinue(next)
                      .build());
      for (ConfigMap cm : page.getItems()) {
        values.put(
            cm.getMetadata().getName(), cm.getData() == null ? "" : cm.getData().get("value"));
      }
      next = page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return values;
  }
}

package dev.backuprestore.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.ConfigMapArchive;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A conflict storm: while a restore updates existing ConfigMaps, other clients keep updating the
 * same objects (an annotation, a new resourceVersion every few milliseconds), so the restore's
 * updates meet 409 Conflicts. The restore must end, within a bound, either with the archive's
 * content applied to every object (it re-reads and retries on a conflict) or with a status that
 * names the objects it could not update; it never loops forever and never reports success for an
 * object that does not hold the archive's content.
 */
class RestoreConflictStormIT {
  private static final String OPERATOR_NAMESPACE = "conflict-storm-system";
  private static final String NAMESPACE = "conflict-storm-data";
  private static final int OBJECTS = 5;
  private static final int STORM_THREADS = 4;
  private static final String[] RESTORE_CONFLICTS = {
    "code=\"409\"", "verb=\"PUT\"", "resource=\"configmaps\""
  };

  private static Path localDirectory;
  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient api;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = Files.createTempDirectory("conflict-storm-local");
    operator =
        OperatorHarness.start(OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, false));
    client = operator.client();
    api = new BackupRestoreClient(client, "conflict-storm");
    new BackupFixtures(client, "conflict-storm").namespace(NAMESPACE);
  }

  @AfterAll
  static void stop() {
    api.deleteAll();
    operator.close();
    client.configMaps().inNamespace(NAMESPACE).delete();
    TestFiles.deleteRecursively(localDirectory);
  }

  @Test
  void aRestoreUnderAConflictStormAppliesTheArchiveOrNamesWhatItCouldNot() throws Exception {
    for (int i = 0; i < OBJECTS; i++) {
      client
          .configMaps()
          .inNamespace(NAMESPACE)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(ConfigMapArchive.name(i))
                  .withNamespace(NAMESPACE)
                  .endMetadata()
                  .addToData("value", "live-" + i)
                  .build())
          .create();
    }
    String file =
        ConfigMapArchive.write(localDirectory, "storm.tar.gz", NAMESPACE, OBJECTS, "archived");

    AtomicBoolean storming = new AtomicBoolean(true);
    AtomicLong stormUpdates = new AtomicLong();
    List<Thread> storm = new ArrayList<>();
    for (int t = 0; t < STORM_THREADS; t++) {
      Thread thread = new Thread(() -> storm(storming, stormUpdates), "conflict-storm-" + t);
      thread.setDaemon(true);
      thread.start();
      storm.add(thread);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> stormUpdates.get() > 50);
    long updatesBefore = stormUpdates.get();
    // The storm patches (no conflicts of its own); the 409s to PUTs of ConfigMaps are the
    // restore's.
    long conflictsBefore = operator.plane().apiServerRequests(RESTORE_CONFLICTS);
    Restore ended;
    try {
      api.createRestore("storm", file, spec -> spec.setPrune(false));
      // A bound: the restore ends (completed or Stalled) while the storm goes on.
      ended =
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(300))
              .until(
                  () -> api.restore("storm"),
                  r ->
                      r.getStatus() != null
                          && (r.getStatus().getRestoreCompletionTs() != null
                              || BackupRestoreClient.condition(r, Conditions.STALLED) != null));
    } finally {
      storming.set(false);
      for (Thread thread : storm) {
        thread.join(10_000);
      }
    }
    long duringRestore = stormUpdates.get() - updatesBefore;
    long conflicts = operator.plane().apiServerRequests(RESTORE_CONFLICTS) - conflictsBefore;
    System.out.println(
        "RestoreConflictStormIT: "
            + duringRestore
            + " storm updates and "
            + conflicts
            + " conflicts answered to the restore's updates; status "
            + ended.getStatus().getSummary()
            + " / "
            + BackupRestoreClient.conditions(ended));
    assertThat(duringRestore).as("other clients' updates while the restore ran").isPositive();
    assertThat(conflicts).as("409 Conflicts answered to the restore's updates").isPositive();

    List<String> notArchived = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      ConfigMap live =
          client.configMaps().inNamespace(NAMESPACE).withName(ConfigMapArchive.name(i)).get();
      if (!ConfigMapArchive.value("archived", i).equals(live.getData().get("value"))) {
        notArchived.add(ConfigMapArchive.name(i));
      }
    }
    if (ended.getStatus().getRestoreCompletionTs() != null) {
      assertThat(notArchived).as("objects without the archive's content").isEmpty();
      assertThat(ended.getStatus().getSummary()).contains(" failed=0");
    } else {
      String stalled = BackupRestoreClient.condition(ended, Conditions.STALLED).getMessage();
      assertThat(notArchived).isNotEmpty();
      assertThat(stalled).contains(notArchived.get(0));
    }
    api.awaitLeaseReleased(OPERATOR_NAMESPACE);
  }

  /** Until stopped: bump an annotation on every object (a merge patch: no resourceVersion). */
  private static void storm(AtomicBoolean storming, AtomicLong updates) {
    long n = 0;
    while (storming.get()) {
      for (int i = 0; i < OBJECTS && storming.get(); i++) {
        String stamp = Thread.currentThread().getName() + "-" + n++;
        try {
          client
              .configMaps()
              .inNamespace(NAMESPACE)
              .withName(ConfigMapArchive.name(i))
              .edit(
                  cm -> {
                    cm.getMetadata()
                        .setAnnotations(new java.util.HashMap<>(java.util.Map.of("storm", stamp)));
                    return cm;
                  });
          updates.incrementAndGet();
        } catch (KubernetesClientException e) {
          // e.g. a timeout under load: go on
        }
      }
    }
  }
}

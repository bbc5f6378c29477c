package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A conflict storm: another client keeps modifying the objects while a restore replaces them. The
 * restore completes (conflicts are retried, not failures) and every object ends with the archive's
 * data.
 */
class RestoreConflictStormIT {
  private static final String SYSTEM = "rit-conflicts-system";
  private static final String DATA = "rit-conflicts-data";
  private static final int OBJECTS = 150;

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.inProcess(SYSTEM);

  private static KubernetesClient client;
  private static BackupRestoreClient crs;

  @BeforeAll
  static void data() {
    client = OPERATOR.client();
    crs = new BackupRestoreClient(client, "restore-conflicts");
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(DATA)
                .endMetadata()
                .build())
        .serverSideApply();
    IntStream.range(0, OBJECTS)
        .parallel()
        .forEach(
            i ->
                client
                    .configMaps()
                    .inNamespace(DATA)
                    .resource(
                        new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("cm-" + i)
                            .withNamespace(DATA)
                            .endMetadata()
                            .withData(Map.of("value", "backed-up-" + i))
                            .build())
                    .create());
  }

  @AfterAll
  static void cleanUp() {
    crs.deleteAll();
    client.namespaces().withName(DATA).delete();
  }

  @Test
  void aRestoreCompletesWhileAnotherClientKeepsModifyingTheObjects() throws Exception {
    crs.resourceSet("rit-conflicts", BackupRestoreClient.selector("v1", "^configmaps$", DATA));
    String file = crs.backUp("rit-conflicts", "rit-conflicts", spec -> {});
    IntStream.range(0, OBJECTS)
        .parallel()
        .forEach(i -> patch("cm-" + i, "{\"data\":{\"value\":\"changed\"}}"));

    AtomicBoolean storm = new AtomicBoolean(true);
    AtomicLong writes = new AtomicLong();
    ExecutorService writers = Executors.newFixedThreadPool(4);
    for (int w = 0; w < 4; w++) {
      int offset = w;
      writers.execute(
          () -> {
            long round = 0;
            while (storm.get()) {
              for (int i = offset; i < OBJECTS && storm.get(); i += 4) {
                patch(
                    "cm-" + i,
                    "{\"metadata\":{\"labels\":{\"storm\":\"r" + (round % 1000) + "\"}}}");
                writes.incrementAndGet();
              }
              round++;
            }
          });
    }
    long beforeRestore;
    long duringRestore;
    try {
      // Barrier: the storm is under way (a full round of writes) before the restore starts.
      await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() >= OBJECTS);
      beforeRestore = writes.get();
      crs.createRestore("rit-conflicts", file, spec -> spec.setPrune(false));
      crs.awaitCompleted("rit-conflicts");
      duringRestore = writes.get() - beforeRestore;
    } finally {
      storm.set(false);
      writers.shutdown();
      assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(duringRestore).as("writes by the other client during the restore").isPositive();
    for (int i = 0; i < OBJECTS; i++) {
      ConfigMap restored = client.configMaps().inNamespace(DATA).withName("cm-" + i).get();
      assertThat(restored.getData()).containsEntry("value", "backed-up-" + i);
    }
  }

  private static void patch(String name, String mergePatch) {
    try {
      client
          .configMaps()
          .inNamespace(DATA)
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    } catch (KubernetesClientException e) {
      // The restore may have the object deleted-and-recreated or not yet back: keep storming.
    }
  }
}

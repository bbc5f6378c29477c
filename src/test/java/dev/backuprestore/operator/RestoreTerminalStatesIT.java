package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Terminal states (issue 9, reproduction 1): a Restore that ended Stalled after it had applied some
 * objects is never run again on its own, not even when the operator restarts; an object the user
 * deleted after the failed restore stays deleted.
 */
class RestoreTerminalStatesIT {
  private static final String SYSTEM = "rit-terminal-system";
  private static final String DATA = "rit-terminal-data";
  private static final String OTHER = "rit-terminal-other";

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.inProcess(SYSTEM);

  private static KubernetesClient client;
  private static BackupRestoreClient crs;

  @BeforeAll
  static void data() {
    client = OPERATOR.client();
    crs = new BackupRestoreClient(client, "restore-terminal");
    for (String namespace : new String[] {DATA, OTHER}) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
    }
  }

  @AfterAll
  static void cleanUp() {
    crs.deleteAll();
    client.namespaces().withName(DATA).delete();
    client.namespaces().withName(OTHER).delete();
  }

  @Test
  void aStalledRestoreStaysStalledAcrossARestartAndReappliesNothing() {
    configMap(DATA, "kept", Map.of("k", "v"), false);
    configMap(DATA, "locked", Map.of("k", "backed-up"), false);
    crs.resourceSet("rit-terminal", BackupRestoreClient.selector("v1", "^configmaps$", DATA));
    String file = crs.backUp("rit-terminal", "rit-terminal", spec -> {});

    // "locked" becomes immutable with other data: restoring it is a 422, a permanent failure
    // that comes after "kept" was created again.
    client.configMaps().inNamespace(DATA).withName("kept").delete();
    await().until(() -> client.configMaps().inNamespace(DATA).withName("kept").get() == null);
    client.configMaps().inNamespace(DATA).withName("locked").delete();
    await().until(() -> client.configMaps().inNamespace(DATA).withName("locked").get() == null);
    configMap(DATA, "locked", Map.of("k", "changed"), true);

    crs.createRestore("rit-terminal-stalled", file, spec -> spec.setPrune(false));
    Restore stalled = crs.awaitStalled("rit-terminal-stalled");
    Condition stalledCondition = BackupRestoreClient.condition(stalled, Conditions.STALLED);
    assertThat(stalledCondition.getMessage()).contains("locked");
    assertThat(client.configMaps().inNamespace(DATA).withName("kept").get()).isNotNull();

    // The user cleans up after the failed restore, then the operator restarts.
    client.configMaps().inNamespace(DATA).withName("kept").delete();
    await().until(() -> client.configMaps().inNamespace(DATA).withName("kept").get() == null);
    OPERATOR.restart();

    // Barrier: a restore created after the restart completes, so the restarted operator has
    // seen every Restore; the stalled one would have re-applied "kept" by then, and must not.
    configMap(OTHER, "sentinel", Map.of("k", "v"), false);
    crs.resourceSet(
        "rit-terminal-other", BackupRestoreClient.selector("v1", "^configmaps$", OTHER));
    String sentinelFile = crs.backUp("rit-terminal-other", "rit-terminal-other", spec -> {});
    crs.createRestore("rit-terminal-sentinel", sentinelFile, spec -> spec.setPrune(false));
    crs.awaitCompleted("rit-terminal-sentinel");
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.configMaps().inNamespace(DATA).withName("kept").get() == null);

    Restore after = crs.restore("rit-terminal-stalled");
    assertThat(BackupRestoreClient.condition(after, Conditions.STALLED))
        .usingRecursiveComparison()
        .isEqualTo(stalledCondition);
    assertThat(after.getStatus().getRestoreCompletionTs()).isNull();
    assertThat(after.getStatus().getObservedGeneration())
        .isEqualTo(after.getMetadata().getGeneration());
    assertThat(crs.events(after, "Warning"))
        .extracting(e -> e.getReason())
        // Once each: the stall and the list of the objects that failed; nothing after the restart.
        .containsExactlyInAnyOrder("RestoreStalled", "RestoreObjectFailed");
  }

  private static void configMap(
      String namespace, String name, Map<String, String> data, boolean immutable) {
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withData(data)
                .withImmutable(immutable ? Boolean.TRUE : null)
                .build())
        .create();
  }
}

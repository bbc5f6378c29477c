package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.Workloads;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restore that has to wait (here: the prune grace period of an object held by a finalizer, which
 * takes several runs) scales the backup's {@code controllerReferences} down once at its start and
 * up once at its end (issue 9, reproduction 3): the Deployment's spec changes exactly twice, and it
 * is at 0 replicas from the first change until the restore has completed.
 */
class RestoreControllerScalingIT {
  private static final String SYSTEM = "rit-scaling-system";
  private static final String DATA = "rit-scaling-data";
  private static final String FINALIZER = "test.backuprestore.dev/hold";

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.inProcess(SYSTEM);

  private static KubernetesClient client;
  private static BackupFixtures fixtures;
  private static BackupRestoreClient crs;

  @BeforeAll
  static void data() {
    client = OPERATOR.client();
    fixtures = new BackupFixtures(client, "restore-scaling");
    crs = new BackupRestoreClient(client, "restore-scaling");
    fixtures.namespace(DATA);
    fixtures.configMap(DATA, "app-config", Map.of("k", "v"));
  }

  @AfterAll
  static void cleanUp() {
    crs.deleteAll();
    fixtures.cleanUp();
    client.namespaces().withName(DATA).delete();
  }

  @Test
  void aRestoreThatWaitsScalesItsControllersDownOnceAndUpOnce() throws Exception {
    client
        .apps()
        .deployments()
        .inNamespace(DATA)
        .resource(Workloads.deployment(DATA, "controller", 2))
        .create();
    ControllerReference controller = new ControllerReference();
    controller.setApiVersion("apps/v1");
    controller.setResource("deployments");
    controller.setNamespace(DATA);
    controller.setName("controller");
    fixtures.resourceSet(
        "rit-scaling",
        List.of(selector("v1", List.of("configmaps"), List.of(DATA))),
        List.of(controller));
    String file = crs.backUp("rit-scaling", "rit-scaling", spec -> {});

    // Not in the archive and held by a finalizer: prune waits deleteTimeoutSeconds for it.
    client
        .configMaps()
        .inNamespace(DATA)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("held")
                .withNamespace(DATA)
                .withFinalizers(FINALIZER)
                .endMetadata()
                .build())
        .create();

    List<Deployment> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = watchDeployment(seen)) {
      crs.createRestore(
          "rit-scaling",
          file,
          spec -> {
            spec.setPrune(true);
            spec.setDeleteTimeoutSeconds(3);
          });
      crs.awaitCompleted("rit-scaling");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !seen.isEmpty() && replicas(seen.get(seen.size() - 1)) == 2);
    }

    Deployment after = client.apps().deployments().inNamespace(DATA).withName("controller").get();
    assertThat(after.getMetadata().getGeneration())
        .as("spec changes: down once, up once")
        .isEqualTo(3L);
    assertThat(seen).extracting(d -> d.getMetadata().getGeneration()).containsOnly(2L, 3L);
    assertThat(seen.stream().filter(d -> d.getMetadata().getGeneration() == 2L))
        .allSatisfy(d -> assertThat(replicas(d)).isZero());
    assertThat(after.getSpec().getReplicas()).isEqualTo(2);
    assertThat(after.getMetadata().getAnnotations())
        .doesNotContainKey("backuprestore.dev/original-replicas");
    assertThat(client.configMaps().inNamespace(DATA).withName("held").get()).isNull();
    assertThat(crs.restore("rit-scaling").getStatus().getSummary()).contains("pruned=1");
  }

  private static Watch watchDeployment(List<Deployment> seen) {
    return client
        .apps()
        .deployments()
        .inNamespace(DATA)
        .withName("controller")
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Deployment deployment) {
                if (action == Action.MODIFIED) {
                  seen.add(deployment);
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private static int replicas(Deployment deployment) {
    return deployment.getSpec().getReplicas() == null ? -1 : deployment.getSpec().getReplicas();
  }
}

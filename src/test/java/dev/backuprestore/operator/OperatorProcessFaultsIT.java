package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.files;
import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.Workloads;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process faults (docs/reliability.md), with the operator as a separate process: SIGKILL and
 * SIGTERM in the middle of a backup and of a restore. After each, nothing partial is visible in the
 * store, the work is finished (after a restart, or within the grace period), and the controllers a
 * restore scaled down get their replicas back.
 */
class OperatorProcessFaultsIT {
  private static final String SYSTEM = "process-faults-system";
  private static final String BIG = "process-faults-big";
  private static final String SMALL = "process-faults-small";
  private static final String FINALIZER = "test.backuprestore.dev/hold";

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.asProcess(SYSTEM);

  private static KubernetesClient client;
  private static BackupFixtures fixtures;
  private static BackupRestoreClient crs;

  @BeforeAll
  static void data() {
    client = OPERATOR.client();
    fixtures = new BackupFixtures(client, "process-faults");
    crs = new BackupRestoreClient(client, "process-faults");
    fixtures.namespace(BIG);
    fixtures.namespace(SMALL);
    // About 50 MB of incompressible data: a backup that takes a few seconds to write.
    SecureRandom random = new SecureRandom();
    IntStream.range(0, 250)
        .parallel()
        .forEach(
            i -> {
              byte[] noise = new byte[200 * 1024];
              random.nextBytes(noise);
              fixtures.configMap(
                  BIG, "big-" + i, Map.of("noise", Base64.getEncoder().encodeToString(noise)));
            });
    fixtures.resourceSet(
        "process-faults-big",
        List.of(selector("v1", List.of("configmaps"), List.of(BIG))),
        List.of());
  }

  @AfterAll
  static void cleanUp() {
    crs.deleteAll();
    fixtures.cleanUp();
    client.namespaces().withName(BIG).delete();
    client.namespaces().withName(SMALL).delete();
  }

  @Test
  void healthEndpointsAnswer() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/healthz", "/readyz")) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + OPERATOR.healthPort() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).startsWith("ok");
    }
  }

  @Test
  void sigkillMidBackupLeavesNoPartialArchiveAndTheRestartedOperatorFinishesIt() {
    Backup created = fixtures.createBackup("killed-backup", "process-faults-big", spec -> {});
    awaitPartialUpload("killed-backup");

    OPERATOR.kill();

    assertThat(visibleArchives("killed-backup")).isEmpty();
    Backup interrupted = fixtures.backup("killed-backup");
    assertThat(Conditions.find(interrupted.getStatus().getConditions(), Conditions.RECONCILING))
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));

    OPERATOR.start();

    Backup done = fixtures.awaitCompleted("killed-backup");
    assertThat(visibleArchives("killed-backup")).containsExactly(done.getStatus().getFilename());
    assertThat(files(OPERATOR.localDirectory())).noneMatch(name -> name.startsWith("."));
    assertThat(fixtures.events(created, "BackupResumed")).hasSize(1);
    assertThat(fixtures.events(created, "BackupCompleted")).hasSize(1);
  }

  @Test
  void sigtermMidBackupLetsItFinishWithinTheGracePeriod() {
    Backup created = fixtures.createBackup("stopped-backup", "process-faults-big", spec -> {});
    awaitPartialUpload("stopped-backup");

    int exit = OPERATOR.terminate(Duration.ofSeconds(100));

    assertThat(exit).isEqualTo(143);
    Backup done = fixtures.backup("stopped-backup");
    assertThat(BackupFixtures.message(done, "Ready")).isEqualTo("Completed");
    assertThat(visibleArchives("stopped-backup")).containsExactly(done.getStatus().getFilename());
    assertThat(files(OPERATOR.localDirectory())).noneMatch(name -> name.startsWith("."));
    assertThat(OPERATOR.log()).contains("stopping").doesNotContain("Exception");
    OPERATOR.start();
    assertThat(fixtures.events(created, "BackupResumed")).isEmpty();
  }

  @Test
  void sigkillMidRestoreIsFinishedAfterTheRestartAndTheControllerGetsItsReplicasBack() {
    String file = backUpWithController("killed-restore", 3);
    createHeldConfigMap("held-killed");
    crs.createRestore(
        "killed-restore",
        file,
        spec -> {
          spec.setPrune(true);
          spec.setDeleteTimeoutSeconds(8);
        });
    awaitRestoreWaitingWithControllerDown("killed-restore", "held-killed");

    OPERATOR.kill();
    assertThat(controller("killed-restore").getSpec().getReplicas()).isZero();

    OPERATOR.start();

    Restore done = crs.awaitCompleted("killed-restore");
    assertControllerBack("killed-restore", 3);
    assertThat(client.configMaps().inNamespace(SMALL).withName("held-killed").get()).isNull();
    assertThat(crs.events(done, "Normal"))
        .extracting(e -> e.getReason())
        .contains("RestoreResumed", "RestoreCompleted");
  }

  @Test
  void sigtermMidRestoreEndsCleanlyAndTheNextStartFinishesIt() {
    String file = backUpWithController("stopped-restore", 2);
    createHeldConfigMap("held-stopped");
    crs.createRestore(
        "stopped-restore",
        file,
        spec -> {
          spec.setPrune(true);
          spec.setDeleteTimeoutSeconds(8);
        });
    awaitRestoreWaitingWithControllerDown("stopped-restore", "held-stopped");

    int exit = OPERATOR.terminate(Duration.ofSeconds(100));
    assertThat(exit).isEqualTo(143);
    assertThat(OPERATOR.log()).doesNotContain("Exception");

    OPERATOR.start();

    crs.awaitCompleted("stopped-restore");
    assertControllerBack("stopped-restore", 2);
    crs.awaitLeaseReleased(SYSTEM);
  }

  /** A backup of one ConfigMap whose ResourceSet names a Deployment as controllerReference. */
  private static String backUpWithController(String name, int replicas) {
    client
        .apps()
        .deployments()
        .inNamespace(SMALL)
        .resource(Workloads.deployment(SMALL, name, replicas))
        .create();
    fixtures.configMap(SMALL, name + "-config", Map.of("k", "v"));
    ControllerReference controller = new ControllerReference();
    controller.setApiVersion("apps/v1");
    controller.setResource("deployments");
    controller.setNamespace(SMALL);
    controller.setName(name);
    fixtures.resourceSet(
        name, List.of(selector("v1", List.of("configmaps"), List.of(SMALL))), List.of(controller));
    return crs.backUp(name, name, spec -> {});
  }

  private static void createHeldConfigMap(String name) {
    client
        .configMaps()
        .inNamespace(SMALL)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(SMALL)
                .withFinalizers(FINALIZER)
                .endMetadata()
                .build())
        .create();
  }

  /** The restore has scaled the controller down and waits for the held object's grace period. */
  private static void awaitRestoreWaitingWithControllerDown(String controller, String held) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Deployment deployment = controller(controller);
              var heldObject = client.configMaps().inNamespace(SMALL).withName(held).get();
              return deployment.getSpec().getReplicas() == 0
                  && heldObject != null
                  && heldObject.getMetadata().getDeletionTimestamp() != null;
            });
    assertThat(controller(controller).getMetadata().getAnnotations())
        .containsKey("backuprestore.dev/original-replicas");
  }

  private static void assertControllerBack(String name, int replicas) {
    Deployment deployment = controller(name);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(replicas);
    assertThat(deployment.getMetadata().getAnnotations())
        .doesNotContainKey("backuprestore.dev/original-replicas");
  }

  private static Deployment controller(String name) {
    return client.apps().deployments().inNamespace(SMALL).withName(name).get();
  }

  private static void awaitPartialUpload(String backup) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                files(OPERATOR.localDirectory()).stream()
                    .anyMatch(n -> n.startsWith("." + backup + "-") && n.endsWith(".partial")));
  }

  private static List<String> visibleArchives(String backup) {
    return files(OPERATOR.localDirectory()).stream()
        .filter(name -> name.startsWith(backup + "-"))
        .toList();
  }
}

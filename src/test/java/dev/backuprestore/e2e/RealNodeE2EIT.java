package dev.backuprestore.e2e;

import static dev.backuprestore.e2e.RealNode.log;
import static dev.backuprestore.e2e.RealNode.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.ArchiveFiles;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator as users run it: the image built from the project's Dockerfile, installed with
 * {@code helm install} on a real node (scripts/e2e-node.sh), working through its own Pod and
 * ServiceAccount. The steps build on each other (the Backups of one are the history that the
 * upgrades must keep), so they run in order. The node and its network confinement come from {@link
 * RealNode}; the leader failover and the etcd snapshot Jobs are classes of their own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeE2EIT {
  @RegisterExtension static final RealNode NODE = new RealNode();

  private static final String NAMESPACE = OperatorRelease.NAMESPACE;
  private static final String RELEASE = OperatorRelease.RELEASE;
  private static final String APP = "e2e-app";
  private static final String BIG = "e2e-big";
  private static final String BUCKET = "e2e-backups";
  private static final Duration OPERATOR_TIMEOUT = OperatorRelease.TIMEOUT;

  private static KubernetesClient client;
  private static OperatorRelease release;
  private static BackupRestoreClient bro;
  private static BackupFixtures fixtures;
  private static S3ProxyServer s3;
  private static Path work;

  /** Backups made so far, by name, with their filenames: what the upgrades must keep. */
  private static final Map<String, String> history = new LinkedHashMap<>();

  private static String volumeBackup;

  @BeforeAll
  static void setUp() throws Exception {
    client = NODE.adminClient();
    release = new OperatorRelease(NODE, client);
    bro = new BackupRestoreClient(client, "real-node");
    fixtures = new BackupFixtures(client, "real-node");
    work = Files.createTempDirectory("bro-e2e-");
    s3 =
        phase(
            "S3Proxy (HTTPS) on the node address " + NODE.nodeIp(),
            () -> S3ProxyServer.https(work, NODE.nodeIp()));
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (client != null) {
      client.close();
    }
    TestFiles.deleteRecursively(work);
  }

  @Test
  @Order(1)
  void helmInstallsBothChartsAndTheOperatorPodStartsCleanly() {
    if (!release.install()) {
      log("the charts were installed by an earlier class of this run");
    }
    List<Pod> pods = phase("operator Pods Ready", () -> release.awaitPods());
    for (Pod pod : pods) {
      Container container = pod.getSpec().getContainers().get(0);
      log(
          "operator Pod "
              + pod.getMetadata().getName()
              + " Ready; readiness probe: "
              + (container.getReadinessProbe() == null ? "none in the chart" : "yes")
              + "; image "
              + pod.getStatus().getContainerStatuses().get(0).getImageID());
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(RELEASE);

      // Without a readiness probe the Pod is Ready as soon as the JVM runs: wait for the start-up
      // line.
      String logs =
          await()
              .atMost(OPERATOR_TIMEOUT)
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> NODE.kubectl("logs", "-n", NAMESPACE, pod.getMetadata().getName()),
                  output -> output.contains("operator started"));
      log("operator log of " + pod.getMetadata().getName() + ":\n" + logs.strip());
      assertThat(logs).contains("defaultLocation=PV /var/lib/backups");
      assertThat(logs.lines())
          .as("a clean start: no error and no stack trace in the operator's log")
          .noneMatch(line -> line.contains("ERROR") || line.contains("Exception"));
    }
    // The default RBAC is the chart's own ClusterRole, not cluster-admin.
    String bindings = NODE.kubectl("get", "clusterrolebindings", "-o", "wide");
    assertThat(bindings.lines())
        .filteredOn(line -> line.contains(NAMESPACE + "/" + RELEASE))
        .isNotEmpty()
        .noneMatch(line -> line.contains("ClusterRole/cluster-admin"));
  }

  @Test
  @Order(2)
  void backupToTheChartsVolumeThroughThePod() {
    phase(
        "a Backup to the chart's volume",
        () -> {
          fixtures.namespace(APP);
          fixtures.configMap(APP, "settings", Map.of("color", "blue"));
          NODE.apply(sleeperDeployment(APP, "web"));
          bro.resourceSet(
              APP,
              BackupRestoreClient.selector("v1", "^configmaps$", APP),
              BackupRestoreClient.selector("apps/v1", "^deployments$", APP));
          volumeBackup = bro.backUp("e2e-to-volume", APP, spec -> {});
          history.put("e2e-to-volume", volumeBackup);
        });
    Path archive = NODE.backupDirectory().resolve(volumeBackup);
    assertThat(archive).as("the archive on the hostPath volume").isRegularFile();
    assertThat(ArchiveFiles.read(archive).files().keySet())
        .anyMatch(name -> name.startsWith("configmaps.#v1/" + APP + "/settings"))
        .anyMatch(name -> name.startsWith("deployments.apps#v1/" + APP + "/web"));
  }

  @Test
  @Order(3)
  void backupToS3OnTheNodeAddressThroughThePod() {
    String filename =
        phase(
            "a Backup of the chart's generic ResourceSet to S3",
            () -> {
              fixtures.s3CredentialSecret(NAMESPACE, "e2e-s3-credentials");
              return bro.backUp(
                  "e2e-to-s3",
                  "backup-restore-generic",
                  spec -> spec.setStorageLocation(s3Location()));
            });
    history.put("e2e-to-s3", filename);
    assertThat(s3.objectKeys(BUCKET)).contains(filename);
  }

  @Test
  @Order(4)
  void restoreWithPruneThroughThePod() {
    phase(
        "a Restore with prune from the volume",
        () -> {
          setColor("red");
          client.apps().deployments().inNamespace(APP).withName("web").delete();
          fixtures.configMap(APP, "extra", Map.of("a", "b"));
          bro.createRestore(
              "e2e-restore-prune",
              volumeBackup,
              spec -> {
                spec.setPrune(true);
                spec.setDeleteTimeoutSeconds(5);
              });
          bro.awaitCompleted("e2e-restore-prune");
        });
    assertThat(client.configMaps().inNamespace(APP).withName("settings").get().getData())
        .containsEntry("color", "blue");
    assertThat(client.configMaps().inNamespace(APP).withName("extra").get())
        .as("pruned: not in the backup")
        .isNull();
    NODE.kubectl("rollout", "status", "-n", APP, "deployment/web", "--timeout=180s");
  }

  @Test
  @Order(5)
  void readOnlyRbacRefusesARestoreButStillBacksUp() {
    phase("helm upgrade to rbac.readOnly=true", () -> release.upgrade(true, "rbac.readOnly=true"));
    phase(
        "a Restore refused, a Backup made, as the read-only ServiceAccount",
        () -> {
          setColor("green");
          bro.createRestore("e2e-restore-read-only", volumeBackup, spec -> {});
          await()
              .atMost(OPERATOR_TIMEOUT)
              .untilAsserted(
                  () -> {
                    Restore restore = bro.restore("e2e-restore-read-only");
                    String message =
                        Stream.of(Conditions.RECONCILING, Conditions.STALLED)
                            .map(
                                type ->
                                    Conditions.message(
                                        BackupRestoreClient.conditions(restore), type))
                            .filter(m -> m != null)
                            .collect(Collectors.joining(" | "));
                    assertThat(message).as("status of the refused Restore").contains("forbidden");
                    log("the read-only operator refused the Restore: " + message);
                  });
          history.put("e2e-read-only", bro.backUp("e2e-read-only", APP, spec -> {}));
        });
    assertThat(client.configMaps().inNamespace(APP).withName("settings").get().getData())
        .as("the refused Restore changed nothing")
        .containsEntry("color", "green");
    client.resources(Restore.class).withName("e2e-restore-read-only").delete();
    phase(
        "helm upgrade back to the default RBAC",
        () -> release.upgrade(true, "rbac.readOnly=false"));
  }

  @Test
  @Order(6)
  void helmUpgradeToANewImageTagWhileIdleKeepsTheHistory() {
    Set<String> before =
        OperatorRelease.names(release.awaitPods(NODE.operatorImageTags().get(0), Set.of()));
    String next = NODE.operatorImageTags().get(1);
    phase("helm upgrade to image tag " + next + " (idle)", () -> release.upgradeToTag(next, true));
    List<Pod> after = phase("new operator Pods Ready", () -> release.awaitPods(next, before));
    log("operator Pods " + before + " replaced by " + OperatorRelease.names(after));
    assertHistoryKept();
    history.put("e2e-after-upgrade", bro.backUp("e2e-after-upgrade", APP, spec -> {}));
    assertThat(NODE.backupDirectory().resolve(history.get("e2e-after-upgrade"))).isRegularFile();
  }

  @Test
  @Order(7)
  void helmUpgradeDuringABackupFinishesOrRetriesIt() {
    int objects = 400;
    phase(
        "a namespace with " + objects + " ConfigMaps",
        () -> {
          fixtures.namespace(BIG);
          String data = "x".repeat(4096);
          String manifests =
              IntStream.range(0, objects)
                  .mapToObj(
                      i ->
                          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%04d, namespace: %s}\ndata: {payload: %s}\n"
                              .formatted(i, BIG, data))
                  .collect(Collectors.joining("---\n"));
          NODE.apply(manifests);
          bro.resourceSet(BIG, BackupRestoreClient.selector("v1", "^configmaps$", BIG));
        });
    Set<String> before =
        OperatorRelease.names(release.awaitPods(NODE.operatorImageTags().get(1), Set.of()));
    String tag = NODE.operatorImageTags().get(0);
    String filename =
        phase(
            "helm upgrade to image tag " + tag + " during a Backup",
            () -> {
              fixtures.createBackup("e2e-during-upgrade", BIG, spec -> {});
              release.upgradeToTag(tag, false);
              List<Pod> after = release.awaitPods(tag, before);
              log("operator Pods " + before + " replaced by " + OperatorRelease.names(after));
              return awaitBackupCompleted("e2e-during-upgrade");
            });
    history.put("e2e-during-upgrade", filename);
    String newPodLog = release.logs();
    log(
        newPodLog.contains("Backup e2e-during-upgrade completed")
            ? "the new operator Pod made the Backup again (the old one stopped first)"
            : "the old operator Pod finished the Backup before it stopped");
    Backup backup = client.resources(Backup.class).withName("e2e-during-upgrade").get();
    log(
        "the Backup made across the upgrade: "
            + backup.getStatus().getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getMessage() + ")")
                .collect(Collectors.joining(", ")));
    ArchiveFiles archive = ArchiveFiles.read(NODE.backupDirectory().resolve(filename));
    assertThat(archive.files().keySet())
        .filteredOn(name -> name.matches("configmaps\\.#v1/" + BIG + "/cm-[0-9]{4}\\.json"))
        .hasSize(objects);
    assertHistoryKept();
  }

  @Test
  @Order(8)
  void aBackupFailingAcrossAnUpgradeIsRetriedByTheNewPod() throws Exception {
    Set<String> before =
        OperatorRelease.names(release.awaitPods(NODE.operatorImageTags().get(0), Set.of()));
    String tag = NODE.operatorImageTags().get(1);
    s3.stop();
    try {
      phase(
          "a Backup to S3 while S3 is down, then helm upgrade to image tag " + tag,
          () -> {
            fixtures.createBackup(
                "e2e-s3-across-upgrade", APP, spec -> spec.setStorageLocation(s3Location()));
            Backup failing =
                fixtures.awaitCondition(
                    "e2e-s3-across-upgrade", "Reconciling", c -> "False".equals(c.getStatus()));
            log("before the upgrade: " + BackupFixtures.message(failing, "Reconciling"));
            release.upgradeToTag(tag, true);
            release.awaitPods(tag, before);
          });
    } finally {
      s3.start();
    }
    String filename =
        phase(
            "S3 back: the new Pod retries the Backup",
            () -> awaitBackupCompleted("e2e-s3-across-upgrade"));
    history.put("e2e-s3-across-upgrade", filename);
    assertThat(s3.objectKeys(BUCKET)).contains(filename);
    assertThat(s3.pendingMultipartUploads(BUCKET)).isEmpty();
    assertThat(release.logs()).contains("Backup e2e-s3-across-upgrade completed");
    assertHistoryKept();
  }

  private static void setColor(String color) {
    client
        .configMaps()
        .inNamespace(APP)
        .withName("settings")
        .edit(
            cm -> {
              cm.getData().put("color", color);
              return cm;
            });
  }

  /** The S3Proxy bucket on the node address, trusted through its CA. */
  private static StorageLocation s3Location() {
    StorageLocation location = BackupFixtures.s3(s3, BUCKET, NAMESPACE, "e2e-s3-credentials");
    location
        .getS3()
        .setEndpointCA(
            Base64.getEncoder().encodeToString(s3.caPem().getBytes(StandardCharsets.US_ASCII)));
    return location;
  }

  /** Every Backup made so far still exists with its filename, and its archive is whole. */
  private static void assertHistoryKept() {
    history.forEach(
        (name, filename) -> {
          Backup backup = client.resources(Backup.class).withName(name).get();
          assertThat(backup).as("Backup %s after the upgrade", name).isNotNull();
          assertThat(backup.getStatus().getFilename()).isEqualTo(filename);
          assertThat(Conditions.message(backup.getStatus().getConditions(), Conditions.READY))
              .isEqualTo(Conditions.COMPLETED);
        });
    try (Stream<Path> files = Files.list(NODE.backupDirectory())) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".tar.gz")).toList()) {
        assertThat(ArchiveFiles.read(file).files()).as("archive %s is readable", file).isNotEmpty();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(s3.objectKeys(BUCKET)).contains(history.get("e2e-to-s3"));
  }

  private static String awaitBackupCompleted(String name) {
    await()
        .atMost(OPERATOR_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Backup backup = client.resources(Backup.class).withName(name).get();
              assertThat(
                      backup.getStatus() == null
                          ? null
                          : Conditions.message(
                              backup.getStatus().getConditions(), Conditions.READY))
                  .as("Ready message of Backup %s", name)
                  .isEqualTo(Conditions.COMPLETED);
            });
    return client.resources(Backup.class).withName(name).get().getStatus().getFilename();
  }

  private static String sleeperDeployment(String namespace, String name) {
    // A shell that exits on SIGTERM (sleep as PID 1 would ignore it and wait out the grace period).
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              terminationGracePeriodSeconds: 5
              containers:
              - name: main
                image: %s
                imagePullPolicy: Never
                command: ["bash", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
        """
        .formatted(name, namespace, name, name, NODE.jreImage());
  }
}

package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupStatus;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.OperatorRuntime;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A cluster set up by Rancher Backups' charts, migrated by running the commands of the README's
 * "Migrating from Rancher Backups" section as they stand, then checked: the CRs and the archives
 * survive, the new operator restores an archive Rancher took, and Rancher's recurring Backup runs
 * at the time Rancher scheduled, counting Rancher's archives for retention.
 *
 * <p>What is real: kube-apiserver and etcd, Helm (Rancher's releases are installed with it from
 * Rancher's rendered charts, so ownership metadata and release records are Helm's own), kubectl,
 * the commands of the README, our charts, and the operator with the chart's RBAC. What is modelled,
 * because the test control plane has no kube-controller-manager and no kubelet: volume binding and
 * the protection finalizers ({@link VolumeControllerStandIn}); the pod ({@link ChartPod}), and with
 * it the volume, a hostPath PersistentVolume whose directory the operator uses as its
 * /var/lib/backups. Rancher's operator never runs: what it would have written (its CRs' status and
 * its archives) is written by the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RancherMigrationIT {
  private static final Path README = Path.of("README.md");
  private static final String SECTION = "Migrating from Rancher Backups";
  private static final String VOLUME = "rancher-backups";
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private static LocalControlPlane plane;
  private static KubernetesClient client;
  private static Kubectl kubectl;
  private static Helm helm;
  private static VolumeControllerStandIn volumes;
  private static OperatorRuntime operator;
  private static Path workDir;
  private static Path volumeDir;
  private static String clusterId;
  private static String shopArchive;
  private static List<String> nightlyArchives;
  private static String nightlyNextSnapshotAt;
  private static Map<String, String> uidsBefore;
  private static Map<String, String> archivesBefore;

  @BeforeAll
  static void setUpTheClusterAsRancherBackupsLeftIt() throws IOException {
    plane = LocalControlPlane.start(List.of());
    client = plane.client();
    kubectl = new Kubectl(plane);
    helm = Helm.located().against(plane);
    workDir = Files.createTempDirectory("bro-migration-");
    volumeDir = Files.createDirectories(workDir.resolve("volume"));
    volumes = VolumeControllerStandIn.start(client);
    ClusterFixtures.ensureOperatorNamespace(kubectl);

    RancherCharts.install(helm, workDir.resolve("rancher-charts"));
    // The volume Rancher's claim (storageClassName "") binds to: made by an admin, without a class,
    // pre-bound, with the Delete policy that dynamically provisioned volumes have.
    kubectl.runWithInput(
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: %s}
        spec:
          capacity: {storage: 2Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Delete
          hostPath: {path: %s}
          claimRef: {namespace: %s, name: %s}
        """
            .formatted(VOLUME, volumeDir, NAMESPACE, RancherCharts.CLAIM),
        "apply",
        "-f",
        "-");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Bound".equals(claimPhase(RancherCharts.CLAIM)));

    clusterId = client.namespaces().withName("kube-system").get().getMetadata().getUid();
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
    writeRancherArchivesAndObjects(now);
    uidsBefore = uids();
    archivesBefore = archives();
  }

  /** What Rancher's operator left: a ResourceSet, Backups, a Restore, their status, archives. */
  private static void writeRancherArchivesAndObjects(ZonedDateTime now) {
    shopArchive = archiveName("shop-before-migration", now.minusMinutes(30));
    new RancherArchive()
        .file(
            "namespaces.#v1/migrated-shop.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"migrated-shop\"}}")
        .file(
            "configmaps.#v1/migrated-shop/settings.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
                + "\"namespace\":\"migrated-shop\"},\"data\":{\"color\":\"green\"}}")
        .file("filters/filters.json", shopFilters())
        .writeTo(volumeDir.resolve(shopArchive), now.minusMinutes(30));
    // A recurring Backup every minute, its last three runs on the volume.
    List<ZonedDateTime> nightlyRuns =
        Stream.of(140, 80, 20).map(secondsAgo -> now.minusSeconds(secondsAgo)).toList();
    nightlyArchives = nightlyRuns.stream().map(time -> archiveName("nightly", time)).toList();
    for (int i = 0; i < nightlyRuns.size(); i++) {
      new RancherArchive()
          .file(
              "namespaces.#v1/cattle-resources-system.json",
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
                  + "{\"name\":\"cattle-resources-system\"}}")
          .file("filters/filters.json", "{\"metadata\":{\"name\":\"rancher-resource-set-full\"}}")
          .writeTo(volumeDir.resolve(nightlyArchives.get(i)), nightlyRuns.get(i));
    }

    kubectl.runWithInput(
        """
        apiVersion: resources.cattle.io/v1
        kind: ResourceSet
        metadata: {name: shop}
        resourceSelectors:
          - {apiVersion: v1, kindsRegexp: "^namespaces$", resourceNameRegexp: "^migrated-shop$"}
          - {apiVersion: v1, kindsRegexp: "^configmaps$", namespaces: [migrated-shop]}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: shop-before-migration}
        spec: {resourceSetName: shop}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: nightly}
        spec: {resourceSetName: rancher-resource-set-full, schedule: "@every 1m", retentionCount: 3}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Restore
        metadata: {name: restore-last-week}
        spec: {backupFilename: %s, prune: false}
        """
            .formatted(shopArchive),
        "apply",
        "-f",
        "-");
    nightlyNextSnapshotAt = RFC3339.format(now.plusSeconds(25));
    status(
        "backup",
        "shop-before-migration",
        Map.of(
            "backupType",
            "One-time",
            "filename",
            shopArchive,
            "storageLocation",
            "PV",
            "lastSnapshotTs",
            RFC3339.format(now.minusMinutes(30)),
            "observedGeneration",
            1,
            "conditions",
            completed()));
    status(
        "backup",
        "nightly",
        Map.of(
            "backupType",
            "Recurring",
            "filename",
            nightlyArchives.get(2),
            "storageLocation",
            "PV",
            "lastSnapshotTs",
            RFC3339.format(now.minusSeconds(20)),
            "nextSnapshotAt",
            nightlyNextSnapshotAt,
            "observedGeneration",
            1,
            "conditions",
            completed()));
    status(
        "restore",
        "restore-last-week",
        Map.of(
            "backupSource",
            "PV",
            "restoreCompletionTs",
            RFC3339.format(now.minusMinutes(20)),
            "observedGeneration",
            1,
            "conditions",
            completed()));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (volumes != null) {
      volumes.close();
    }
    if (plane != null) {
      plane.close();
    }
    TestFiles.deleteRecursively(workDir);
  }

  @Order(1)
  @Test
  void theReadmeStepsMigrateBothReleases() throws IOException {
    List<String> blocks = ReadmeCommands.bashBlocks(README, SECTION);
    assertThat(blocks)
        .as("bash blocks of the README's migration section")
        .hasSizeGreaterThanOrEqualTo(3);

    Result result = runAsAUser(String.join("\n", blocks));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(helm.run("list", "-n", NAMESPACE, "-q").lines().sorted().toList())
        .containsExactly("backup-restore-operator", "backup-restore-operator-crd");
    for (String name :
        List.of(
            "backups.resources.cattle.io",
            "restores.resources.cattle.io",
            "resourcesets.resources.cattle.io")) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(crd.getMetadata().getAnnotations())
          .as(name)
          .containsEntry("meta.helm.sh/release-name", "backup-restore-operator-crd")
          .containsEntry("helm.sh/resource-policy", "keep");
    }
    PersistentVolume volume = client.persistentVolumes().withName(VOLUME).get();
    assertThat(volume.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(volume.getSpec().getClaimRef().getName()).isEqualTo(VOLUME + "-pvc");
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(NAMESPACE)
                .withName(RancherCharts.CLAIM)
                .get())
        .as("Rancher's claim, uninstalled with its chart")
        .isNull();
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("rancher-backup").get())
        .isNull();
  }

  @Order(2)
  @Test
  void everyBackupRestoreAndResourceSetSurvivesAndRancherResourceSetsAreBack() {
    assertThat(uids()).containsAllEntriesOf(uidsBefore);
    for (String name : List.of("rancher-resource-set-basic", "rancher-resource-set-full")) {
      ResourceSet set = client.resources(ResourceSet.class).withName(name).get();
      assertThat(set).as(name).isNotNull();
      assertThat(set.getMetadata().getLabels())
          .as("made by our chart")
          .containsEntry("app.kubernetes.io/instance", "backup-restore-operator");
      assertThat(set.getResourceSelectors()).isNotEmpty();
    }
    BackupStatus nightly = backup("nightly").getStatus();
    assertThat(nightly.getNextSnapshotAt()).isEqualTo(nightlyNextSnapshotAt);
    assertThat(nightly.getFilename()).isEqualTo(nightlyArchives.get(2));
  }

  @Order(3)
  @Test
  void everyArchiveSurvivesUnchanged() {
    assertThat(archives()).isEqualTo(archivesBefore);
  }

  @Order(4)
  @Test
  void theNewOperatorRestoresAnArchiveTakenBeforeTheMigration() {
    operator = ChartPod.start(plane, NAMESPACE, "backup-restore-operator");
    BackupRestoreClient crs = new BackupRestoreClient(client, "migration");
    assertThat(client.namespaces().withName("migrated-shop").get()).isNull();

    crs.createRestore("after-migration", shopArchive, spec -> spec.setPrune(false));
    Restore restore = crs.awaitCompleted("after-migration");

    assertThat(restore.getStatus().getBackupSource()).isEqualTo("PV");
    ConfigMap settings =
        client.configMaps().inNamespace("migrated-shop").withName("settings").get();
    assertThat(settings.getData()).containsEntry("color", "green");
  }

  @Order(5)
  @Test
  void theRecurringBackupRunsAtTheTimeRancherScheduledAndCountsRanchersArchives() {
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> !nightlyArchives.get(2).equals(backup("nightly").getStatus().getFilename()));
    BackupStatus status = backup("nightly").getStatus();

    assertThat(status.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).as(c.getMessage()).isEqualTo("True");
            });
    OffsetDateTime ran = OffsetDateTime.parse(status.getLastSnapshotTs());
    assertThat(ran)
        .as("not before Rancher's nextSnapshotAt")
        .isAfterOrEqualTo(OffsetDateTime.parse(nightlyNextSnapshotAt));
    assertThat(OffsetDateTime.parse(status.getNextSnapshotAt()))
        .as("every minute from then on")
        .isAfterOrEqualTo(ran.plusSeconds(59))
        .isBeforeOrEqualTo(ran.plusSeconds(61));
    assertThat(status.getFilename()).startsWith("nightly-" + clusterId + "-");
    // retentionCount 3: Rancher's oldest archive goes, its two newer ones and the new one stay.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(archives().keySet())
                    .filteredOn(name -> name.startsWith("nightly-"))
                    .containsExactlyInAnyOrder(
                        nightlyArchives.get(1), nightlyArchives.get(2), status.getFilename()));
    assertThat(archives()).containsEntry(shopArchive, archivesBefore.get(shopArchive));
    // Completed before the migration, so neither runs again.
    assertThat(backup("shop-before-migration").getStatus().getFilename()).isEqualTo(shopArchive);
    assertThat(client.resources(Restore.class).withName("restore-last-week").get().getStatus())
        .satisfies(
            s ->
                assertThat(s.getConditions())
                    .extracting(Condition::getMessage)
                    .contains("Completed"));
  }

  /** Runs the commands as a user would: bash, kubectl and helm on the PATH, a checkout's charts. */
  private static Result runAsAUser(String commands) throws IOException {
    Path run = Files.createDirectories(workDir.resolve("user"));
    Files.createSymbolicLink(run.resolve("charts"), Path.of("charts").toAbsolutePath());
    Path script = run.resolve("migrate.sh");
    Files.writeString(script, commands);
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-euxo", "pipefail", script.toString())
            .directory(run.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put(
        "PATH",
        helm.binary().getParent()
            + ":"
            + plane.kubectl().getParent()
            + ":"
            + System.getenv("PATH"));
    env.put("KUBECONFIG", plane.kubeconfig().toString());
    for (String home : List.of("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")) {
      env.put(home, run.resolve(".helm").resolve(home).toString());
    }
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the migration commands timed out:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new Result(process.exitValue(), output);
  }

  record Result(int exitCode, String output) {}

  private static String archiveName(String backup, ZonedDateTime time) {
    return backup
        + "-"
        + clusterId
        + "-"
        + time.withZoneSameInstant(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss'Z'"))
        + ".tar.gz";
  }

  private static String shopFilters() {
    return "{\"metadata\":{\"name\":\"shop\"},\"resourceSelectors\":["
        + "{\"apiVersion\":\"v1\",\"kindsRegexp\":\"^namespaces$\","
        + "\"resourceNameRegexp\":\"^migrated-shop$\"},"
        + "{\"apiVersion\":\"v1\",\"kindsRegexp\":\"^configmaps$\","
        + "\"namespaces\":[\"migrated-shop\"]}],\"controllerReferences\":null}";
  }

  private static List<Map<String, String>> completed() {
    return List.of(Map.of("type", "Ready", "status", "True", "message", "Completed"));
  }

  private static void status(String kind, String name, Map<String, Object> status) {
    String json;
    try {
      json =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .writeValueAsString(Map.of("status", status));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    kubectl.run("patch", kind, name, "--subresource=status", "--type=merge", "-p", json);
  }

  private static Backup backup(String name) {
    return client.resources(Backup.class).withName(name).get();
  }

  private static String claimPhase(String name) {
    PersistentVolumeClaim claim =
        client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(name).get();
    return claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
  }

  /** Kind/name to uid of every Backup, Restore and ResourceSet that is not the chart's. */
  private static Map<String, String> uids() {
    Map<String, String> uids = new TreeMap<>();
    client
        .resources(Backup.class)
        .list()
        .getItems()
        .forEach(b -> uids.put("Backup/" + b.getMetadata().getName(), b.getMetadata().getUid()));
    client
        .resources(Restore.class)
        .list()
        .getItems()
        .forEach(r -> uids.put("Restore/" + r.getMetadata().getName(), r.getMetadata().getUid()));
    client.resources(ResourceSet.class).list().getItems().stream()
        .filter(s -> !s.getMetadata().getName().startsWith("rancher-resource-set-"))
        .forEach(
            s -> uids.put("ResourceSet/" + s.getMetadata().getName(), s.getMetadata().getUid()));
    return uids;
  }

  /** File name to SHA-256 of every archive on the volume. */
  private static Map<String, String> archives() {
    try (Stream<Path> files = Files.list(volumeDir)) {
      return files.collect(
          Collectors.toMap(
              f -> f.getFileName().toString(),
              RancherMigrationIT::sha256,
              (a, b) -> a,
              TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

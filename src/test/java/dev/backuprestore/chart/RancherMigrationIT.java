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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
  static final String SECTION = "Migrating from Rancher Backups";
  private static final String VOLUME = "rancher-backups";

  private static LocalControlPlane plane;
  private static KubernetesClient client;
  private static Kubectl kubectl;
  private static Helm helm;
  private static VolumeControllerStandIn volumes;
  private static OperatorRuntime operator;
  private static Path workDir;
  private static Path volumeDir;
  private static String clusterId;
  private static RancherBackupsState rancher;
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

    RancherCharts.install(
        helm, workDir.resolve("rancher-charts"), RancherCharts.Storage.PERSISTENCE);
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
    rancher = RancherBackupsState.write(kubectl, volumeDir, clusterId, now);
    uidsBefore = uids();
    archivesBefore = archives();
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

    UserShell.Result result =
        UserShell.run(plane, helm, workDir.resolve("user"), String.join("\n", blocks));

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
    assertThat(nightly.getNextSnapshotAt()).isEqualTo(rancher.nightlyNextSnapshotAt());
    assertThat(nightly.getFilename()).isEqualTo(rancher.nightlyArchives().get(2));
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

    crs.createRestore("after-migration", rancher.shopArchive(), spec -> spec.setPrune(false));
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
        .until(
            () ->
                !rancher
                    .nightlyArchives()
                    .get(2)
                    .equals(backup("nightly").getStatus().getFilename()));
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
        .isAfterOrEqualTo(OffsetDateTime.parse(rancher.nightlyNextSnapshotAt()));
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
                        rancher.nightlyArchives().get(1),
                        rancher.nightlyArchives().get(2),
                        status.getFilename()));
    assertThat(archives())
        .containsEntry(rancher.shopArchive(), archivesBefore.get(rancher.shopArchive()));
    // Completed before the migration, so neither runs again.
    assertThat(backup("shop-before-migration").getStatus().getFilename())
        .isEqualTo(rancher.shopArchive());
    assertThat(client.resources(Restore.class).withName("restore-last-week").get().getStatus())
        .satisfies(
            s ->
                assertThat(s.getConditions())
                    .extracting(Condition::getMessage)
                    .contains("Completed"));
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

package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Both charts through real Helm (install, upgrade, uninstall, install again) on an apiserver of
 * their own: Helm's ownership checks and release records only mean something when nothing else
 * applied the same objects. The tests run in order, each on what the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmLifecycleIT {
  private static final String CRD_RELEASE = "backup-restore-operator-crd";
  private static final String RELEASE = "backup-restore-operator";
  private static final String CLAIM = "backup-restore-operator-backups";
  private static final List<String> CRDS =
      List.of(
          "backups.resources.cattle.io",
          "restores.resources.cattle.io",
          "resourcesets.resources.cattle.io");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static LocalControlPlane plane;
  private static Helm helm;
  private static Kubectl kubectl;
  private static KubernetesClient client;
  private static Path changedCrdChart;
  private static String claimUid;

  @BeforeAll
  static void startAnApiServerOfItsOwn() {
    plane = LocalControlPlane.start(List.of());
    helm = Helm.located().against(plane);
    kubectl = new Kubectl(plane);
    client = plane.client();
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
    TestFiles.deleteRecursively(changedCrdChart);
  }

  @Order(1)
  @Test
  void installCreatesTheCrdsOwnedByTheCrdRelease() {
    helm.run(
        "install", CRD_RELEASE, Helm.CRD_CHART.toString(), "-n", NAMESPACE, "--create-namespace");
    kubectl.run(
        Stream.concat(
                Stream.of("wait", "--for=condition=Established", "--timeout=60s"),
                CRDS.stream().map(crd -> "crd/" + crd))
            .toArray(String[]::new));

    for (String name : CRDS) {
      CustomResourceDefinition crd = crd(name);
      assertThat(crd.getMetadata().getAnnotations())
          .containsEntry("meta.helm.sh/release-name", CRD_RELEASE)
          .containsEntry("meta.helm.sh/release-namespace", NAMESPACE)
          .containsEntry("helm.sh/resource-policy", "keep");
      assertThat(crd.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "Helm");
    }
  }

  @Order(2)
  @Test
  void installCreatesTheOperatorItsClaimAndTheResourceSets() {
    String notes =
        helm.run(
            "install",
            RELEASE,
            Helm.OPERATOR_CHART.toString(),
            "-n",
            NAMESPACE,
            "--set",
            "persistence.enabled=true");

    // Rancher's default storageClass "-" binds only to a class-less volume: the notes say so.
    assertThat(notes)
        .contains("Default location: the PersistentVolumeClaim " + CLAIM)
        .contains("binds only to a PersistentVolume without a StorageClass");
    Deployment deployment = deployment();
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(volume -> volume.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            volume ->
                assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(CLAIM));
    PersistentVolumeClaim claim = claim();
    assertThat(claim.getMetadata().getAnnotations())
        .containsEntry("helm.sh/resource-policy", "keep")
        .containsEntry("meta.helm.sh/release-name", RELEASE);
    claimUid = claim.getMetadata().getUid();
    assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName(RELEASE).get()).isNotNull();
    assertThat(client.rbac().clusterRoleBindings().withName(RELEASE).get()).isNotNull();
    assertThat(resourceSetNames())
        .containsExactlyInAnyOrder(
            "backup-restore-generic", "rancher-resource-set-basic", "rancher-resource-set-full");
    assertThat(helm.run("status", RELEASE, "-n", NAMESPACE)).contains("STATUS: deployed");

    // What users make, which no uninstall may take away.
    kubectl.runWithInput(
        """
        apiVersion: resources.cattle.io/v1
        kind: ResourceSet
        metadata: {name: user-made}
        resourceSelectors: [{apiVersion: v1, kindsRegexp: "^configmaps$"}]
        ---
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: nightly}
        spec: {resourceSetName: user-made, schedule: "0 2 * * *", retentionCount: 7}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Restore
        metadata: {name: restore-nightly}
        spec: {backupFilename: nightly-uid-2026-11-23T02-00-00Z.tar.gz, prune: false}
        """,
        "apply",
        "-f",
        "-");
  }

  @Order(3)
  @Test
  void upgradeWithAChangedValueChangesTheDeploymentAndKeepsTheClaim() {
    helm.run(
        "upgrade",
        RELEASE,
        Helm.OPERATOR_CHART.toString(),
        "-n",
        NAMESPACE,
        "--reuse-values",
        "--set",
        "monitoring.metrics.enabled=true",
        "--set",
        "debug=true");

    Deployment deployment = deployment();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs()).containsExactly("--debug");
    assertThat(container.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("METRICS_SERVER");
              assertThat(env.getValue()).isEqualTo("true");
            });
    assertThat(client.services().inNamespace(NAMESPACE).withName(RELEASE).get()).isNotNull();
    assertThat(claim().getMetadata().getUid())
        .as("the same claim, not a new one")
        .isEqualTo(claimUid);
    assertThat(helm.run("history", RELEASE, "-n", NAMESPACE)).contains("Upgrade complete");
  }

  @Order(4)
  @Test
  void upgradeOfTheCrdChartAppliesASchemaChange() throws IOException {
    // The next release's CRD chart, with a field and a printer column that this one lacks.
    changedCrdChart = Files.createTempDirectory("bro-crd-chart-");
    copyChart(Helm.CRD_CHART, changedCrdChart);
    Path backups = changedCrdChart.resolve("templates/backups.resources.cattle.io-v1.yml");
    JsonNode crd = YAML.readTree(backups.toFile());
    JsonNode version = crd.path("spec").path("versions").get(0);
    ((ObjectNode)
            version
                .path("schema")
                .path("openAPIV3Schema")
                .path("properties")
                .path("spec")
                .path("properties"))
        .set("note", YAML.createObjectNode().put("type", "string"));
    ((ArrayNode) version.path("additionalPrinterColumns"))
        .addObject()
        .put("jsonPath", ".spec.note")
        .put("name", "Note")
        .put("type", "string");
    YAML.writeValue(backups.toFile(), crd);

    helm.run("upgrade", CRD_RELEASE, changedCrdChart.toString(), "-n", NAMESPACE);

    CustomResourceDefinition live = crd("backups.resources.cattle.io");
    var liveVersion = live.getSpec().getVersions().get(0);
    assertThat(
            liveVersion
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec")
                .getProperties())
        .containsKey("note");
    assertThat(liveVersion.getAdditionalPrinterColumns())
        .anySatisfy(column -> assertThat(column.getName()).isEqualTo("Note"));
    // The field is served: the apiserver keeps it instead of pruning it as unknown.
    kubectl.run("patch", "backup", "nightly", "--type=merge", "-p", "{\"spec\":{\"note\":\"hi\"}}");
    assertThat(kubectl.run("get", "backup", "nightly", "-o", "jsonpath={.spec.note}"))
        .isEqualTo("hi");
  }

  @Order(5)
  @Test
  void uninstallOfTheOperatorKeepsTheClaimAndEveryUserObject() {
    String output = helm.run("uninstall", RELEASE, "-n", NAMESPACE);

    assertThat(output).contains("PersistentVolumeClaim").contains(CLAIM);
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(RELEASE).get()).isNull();
    assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName(RELEASE).get()).isNull();
    assertThat(client.rbac().clusterRoleBindings().withName(RELEASE).get()).isNull();
    assertThat(client.services().inNamespace(NAMESPACE).withName(RELEASE).get()).isNull();
    assertThat(claim().getMetadata().getUid()).isEqualTo(claimUid);
    // The chart's ResourceSets go with it; the user's stays.
    assertThat(resourceSetNames()).containsExactly("user-made");
    assertThat(kubectl.run("get", "backup", "nightly", "-o", "name"))
        .contains("backup.resources.cattle.io/nightly");
    assertThat(client.resources(Restore.class).withName("restore-nightly").get()).isNotNull();
  }

  @Order(6)
  @Test
  void uninstallOfTheCrdChartKeepsTheCrdsAndSoEveryBackupRestoreAndResourceSet() {
    String output = helm.run("uninstall", CRD_RELEASE, "-n", NAMESPACE);

    assertThat(output).contains("CustomResourceDefinition");
    for (String name : CRDS) {
      assertThat(crd(name)).as(name).isNotNull();
      assertThat(crd(name).getMetadata().getDeletionTimestamp()).isNull();
    }
    assertThat(kubectl.run("get", "backup", "nightly", "-o", "jsonpath={.spec.schedule}"))
        .isEqualTo("0 2 * * *");
    assertThat(client.resources(Restore.class).withName("restore-nightly").get()).isNotNull();
    assertThat(resourceSetNames()).containsExactly("user-made");
    assertThat(helm.run("list", "-A", "-q")).isBlank();
  }

  @Order(7)
  @Test
  void installAgainAdoptsTheKeptCrdsAndClaim() {
    helm.run("install", CRD_RELEASE, Helm.CRD_CHART.toString(), "-n", NAMESPACE);
    helm.run(
        "install",
        RELEASE,
        Helm.OPERATOR_CHART.toString(),
        "-n",
        NAMESPACE,
        "--set",
        "persistence.enabled=true");

    assertThat(claim().getMetadata().getUid()).isEqualTo(claimUid);
    // Back to this release's schema: the field of the newer chart is gone from the CRD.
    assertThat(
            crd("backups.resources.cattle.io")
                .getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec")
                .getProperties())
        .doesNotContainKey("note");
    assertThat(resourceSetNames()).hasSize(4).contains("user-made");
    assertThat(helm.run("list", "-n", NAMESPACE, "-q").lines().sorted().toList())
        .containsExactly(RELEASE, CRD_RELEASE);
  }

  private static CustomResourceDefinition crd(String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }

  private static Deployment deployment() {
    Deployment deployment =
        client.apps().deployments().inNamespace(NAMESPACE).withName(RELEASE).get();
    assertThat(deployment).isNotNull();
    return deployment;
  }

  private static PersistentVolumeClaim claim() {
    PersistentVolumeClaim claim =
        client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(CLAIM).get();
    assertThat(claim).as("claim " + CLAIM).isNotNull();
    return claim;
  }

  private static List<String> resourceSetNames() {
    return client.resources(ResourceSet.class).list().getItems().stream()
        .map(set -> set.getMetadata().getName())
        .toList();
  }

  private static void copyChart(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}

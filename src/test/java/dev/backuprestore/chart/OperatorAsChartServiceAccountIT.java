package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.OperatorRuntime;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real operator, running as the chart's ServiceAccount with the chart's RBAC (the default role,
 * then the read-only one), backs up with the chart's generic ResourceSet: the role is enough, and
 * the archive holds the application and its opt-in Secret but not what the ResourceSet leaves out.
 * With the default role it also restores that backup (create, update and prune); with the read-only
 * role a Restore fails, saying it is forbidden, and changes nothing.
 */
class OperatorAsChartServiceAccountIT {
  private static final String APP = "chart-rbac-app";
  private static final String SERVICE_ACCOUNT =
      "system:serviceaccount:" + NAMESPACE + ":backup-restore-operator";

  private static LocalControlPlane plane;
  private static Kubectl kubectl;
  private final Helm helm = Helm.located();
  private Path backups;
  private OperatorRuntime operator;

  @BeforeAll
  static void installCrdsAndAnApplication() {
    plane = LocalControlPlane.shared();
    kubectl = new Kubectl(plane);
    OperatorHarness.installCrds(plane.client());
    ClusterFixtures.ensureOperatorNamespace(kubectl);
    kubectl.runWithInput(
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: db-password
          namespace: %1$s
          labels: {resources.cattle.io/backup: "true"}
        stringData: {password: not-a-real-one}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: unlabelled, namespace: %1$s}
        stringData: {token: stays-out}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: %1$s}
        data: {color: blue}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %1$s}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx}]
        """
            .formatted(APP),
        "apply",
        "-f",
        "-");
  }

  @AfterAll
  static void uninstallChart() {
    for (String values : List.of("", "rbac: {readOnly: true}")) {
      kubectl.runWithInput(
          Helm.located().template(Helm.OPERATOR_CHART, values),
          "delete",
          "--ignore-not-found",
          "--wait=false",
          "-f",
          "-");
    }
    kubectl.run("delete", "backups", "-l", "test=chart-rbac", "--ignore-not-found");
    kubectl.run("delete", "restores", "-l", "test=chart-rbac", "--ignore-not-found");
    kubectl.run("delete", "resourceset", "user-made", "--ignore-not-found");
  }

  @BeforeEach
  void backupDirectory() throws IOException {
    backups = Files.createTempDirectory("chart-rbac-backups");
  }

  @AfterEach
  void stopOperator() {
    // A Restore left unfinished would be run by the next operator: delete it while this one runs.
    kubectl.run("delete", "restores", "-l", "test=chart-rbac", "--ignore-not-found");
    if (operator != null) {
      operator.close();
    }
    TestFiles.deleteRecursively(backups);
  }

  @Test
  void defaultRoleIsEnoughToBackUpTheGenericResourceSet() throws IOException {
    installChart("");

    List<String> entries = entries(backUpAsTheServiceAccount("chart-rbac-default"));

    assertThat(entries)
        .contains(
            "namespaces.#v1/" + APP + ".json",
            "secrets.#v1/" + APP + "/db-password.json",
            "configmaps.#v1/" + APP + "/settings.json",
            "deployments.apps#v1/" + APP + "/web.json",
            "resourcesets.resources.cattle.io#v1/" + "user-made.json",
            "filters/filters.json")
        .doesNotContain(
            "secrets.#v1/" + APP + "/unlabelled.json",
            "namespaces.#v1/kube-system.json",
            "resourcesets.resources.cattle.io#v1/backup-restore-generic.json",
            "deployments.apps#v1/" + NAMESPACE + "/backup-restore-operator.json",
            "serviceaccounts.#v1/" + NAMESPACE + "/backup-restore-operator.json",
            "clusterroles.rbac.authorization.k8s.io#v1/backup-restore-operator.json")
        .noneMatch(entry -> entry.startsWith("clusterroles.rbac.authorization.k8s.io#v1/system:"))
        .noneMatch(
            entry ->
                entry.startsWith("customresourcedefinitions.apiextensions.k8s.io#v1/")
                    && entry.endsWith(".resources.cattle.io.json"));
  }

  @Test
  void readOnlyRoleIsEnoughToBackUp() throws IOException {
    installChart("rbac: {readOnly: true}");

    List<String> entries = entries(backUpAsTheServiceAccount("chart-rbac-read-only"));

    assertThat(entries)
        .contains(
            "secrets.#v1/" + APP + "/db-password.json", "deployments.apps#v1/" + APP + "/web.json");
  }

  @Test
  void defaultRoleIsEnoughToRestoreTheBackupItTook() throws IOException {
    installChart("");
    String file = backUpAsTheServiceAccount("chart-rbac-restore").getFileName().toString();
    KubernetesClient admin = plane.client();
    admin.configMaps().inNamespace(APP).withName("settings").delete();
    admin.secrets().inNamespace(APP).withName("db-password").delete();
    admin.apps().deployments().inNamespace(APP).withName("web").delete();
    kubectl.runWithInput(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: added-after-the-backup, namespace: %s}
        data: {k: v}
        """
            .formatted(APP),
        "apply",
        "-f",
        "-");

    BackupRestoreClient crs = new BackupRestoreClient(admin, "chart-rbac");
    crs.createRestore("chart-rbac-restore", file, spec -> {});
    Restore restore = crs.awaitCompleted("chart-rbac-restore");

    assertThat(restore.getStatus().getBackupSource()).isEqualTo("PV");
    assertThat(admin.configMaps().inNamespace(APP).withName("settings").get().getData())
        .containsEntry("color", "blue");
    assertThat(admin.secrets().inNamespace(APP).withName("db-password").get()).isNotNull();
    assertThat(admin.apps().deployments().inNamespace(APP).withName("web").get()).isNotNull();
    assertThat(admin.configMaps().inNamespace(APP).withName("added-after-the-backup").get())
        .as("pruned")
        .isNull();
    assertThat(admin.secrets().inNamespace(APP).withName("unlabelled").get())
        .as("outside the ResourceSet, so not pruned")
        .isNotNull();
    crs.awaitLeaseReleased(NAMESPACE);
  }

  @Test
  void readOnlyRoleCannotRestore() throws IOException {
    installChart("rbac: {readOnly: true}");
    String file =
        backUpAsTheServiceAccount("chart-rbac-restore-read-only").getFileName().toString();
    KubernetesClient admin = plane.client();
    String settingsVersion =
        admin
            .configMaps()
            .inNamespace(APP)
            .withName("settings")
            .get()
            .getMetadata()
            .getResourceVersion();

    BackupRestoreClient crs = new BackupRestoreClient(admin, "chart-rbac");
    crs.createRestore("chart-rbac-restore-read-only", file, spec -> {});
    Restore restore = crs.awaitReconcilingError("chart-rbac-restore-read-only", "forbidden");

    assertThat(BackupRestoreClient.condition(restore, "Reconciling").getMessage())
        .contains("is forbidden: User \"" + SERVICE_ACCOUNT + "\" cannot ");
    assertThat(restore.getStatus().getRestoreCompletionTs()).isNull();
    assertThat(
            admin
                .configMaps()
                .inNamespace(APP)
                .withName("settings")
                .get()
                .getMetadata()
                .getResourceVersion())
        .as("unchanged")
        .isEqualTo(settingsVersion);
  }

  private void installChart(String values) {
    kubectl.runWithInput(helm.template(Helm.OPERATOR_CHART, values), "apply", "-f", "-");
    // A ResourceSet made by a user (no operator label): the generic set takes it.
    kubectl.runWithInput(
        """
        apiVersion: resources.cattle.io/v1
        kind: ResourceSet
        metadata: {name: user-made}
        resourceSelectors: [{apiVersion: v1, kindsRegexp: "^configmaps$"}]
        """,
        "apply",
        "-f",
        "-");
  }

  /** Starts the operator as the ServiceAccount, takes one backup, returns the archive. */
  private Path backUpAsTheServiceAccount(String name) throws IOException {
    KubernetesClient asServiceAccount =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(plane.adminConfig())
                    .withImpersonateUsername(SERVICE_ACCOUNT)
                    .withImpersonateGroups(
                        "system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE)
                    .build())
            .build();
    operator =
        OperatorRuntime.start(
            OperatorHarness.devConfig(NAMESPACE, backups, false), asServiceAccount, 0);

    Backup backup = new Backup();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(name);
    metadata.setLabels(Map.of("test", "chart-rbac"));
    backup.setMetadata(metadata);
    BackupSpec spec = new BackupSpec();
    spec.setResourceSetName("backup-restore-generic");
    backup.setSpec(spec);
    KubernetesClient admin = plane.client();
    admin.resources(Backup.class).resource(backup).create();

    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              Backup current = admin.resources(Backup.class).withName(name).get();
              assertThat(current.getStatus()).isNotNull();
              assertThat(current.getStatus().getConditions())
                  .as("conditions of %s", name)
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).as(describe(c)).isEqualTo("True");
                      });
            });
    String filename = admin.resources(Backup.class).withName(name).get().getStatus().getFilename();
    Path archive = backups.resolve(Objects.requireNonNull(filename));
    assertThat(archive).exists();
    return archive;
  }

  private static String describe(Condition condition) {
    return condition.getType() + " " + condition.getReason() + ": " + condition.getMessage();
  }

  private static List<String> entries(Path archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (entry.isFile()) {
          names.add(entry.getName());
        }
      }
    }
    return names.stream().sorted().toList();
  }
}

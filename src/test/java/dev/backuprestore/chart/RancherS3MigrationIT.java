package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's migration commands, unchanged, on a cluster where Rancher Backups keeps its archives
 * in S3 (Rancher's chart as rendered with s3.* values, installed with Helm): the volume steps are
 * skipped, and the end state is our two releases, Rancher's S3 Secret recreated by our chart with
 * the same content, the operator pointed at it, no claim, and every Backup and ResourceSet kept.
 * The S3 round trip itself is left to the S3 integration tests: the render names an endpoint
 * (minio:9000) that no test server answers. RancherMigrationIT covers the volume path end to end.
 */
class RancherS3MigrationIT {
  private static LocalControlPlane plane;
  private static KubernetesClient client;
  private static Kubectl kubectl;
  private static Helm helm;
  private static Path workDir;
  private static Map<String, String> ranchersS3Secret;
  private static Map<String, String> uidsBefore;

  @BeforeAll
  static void setUpTheClusterAsRancherBackupsWithS3LeftIt() throws IOException {
    plane = LocalControlPlane.start(List.of());
    client = plane.client();
    kubectl = new Kubectl(plane);
    helm = Helm.located().against(plane);
    workDir = Files.createTempDirectory("bro-s3-migration-");
    ClusterFixtures.ensureOperatorNamespace(kubectl);
    RancherCharts.install(helm, workDir.resolve("rancher-charts"), RancherCharts.Storage.S3);
    kubectl.runWithInput(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: default}
        stringData: {accessKey: not-a-real-key, secretKey: not-a-real-secret}
        ---
        apiVersion: resources.cattle.io/v1
        kind: ResourceSet
        metadata: {name: shop}
        resourceSelectors: [{apiVersion: v1, kindsRegexp: "^configmaps$", namespaces: [shop]}]
        ---
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: nightly}
        spec: {resourceSetName: rancher-resource-set-basic, schedule: "0 2 * * *"}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: shop-once}
        spec: {resourceSetName: shop}
        """,
        "apply",
        "-f",
        "-");
    ranchersS3Secret = s3SecretData();
    uidsBefore = uids();
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
    TestFiles.deleteRecursively(workDir);
  }

  @Test
  void theReadmeStepsMigrateAnS3Installation() throws IOException {
    assertThat(ranchersS3Secret)
        .containsEntry("bucketName", "b")
        .containsEntry("endpoint", "minio:9000");

    UserShell.Result result =
        UserShell.run(
            plane,
            helm,
            workDir.resolve("user"),
            String.join(
                "\n", ReadmeCommands.bashBlocks(Path.of("README.md"), RancherMigrationIT.SECTION)));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(helm.run("list", "-n", NAMESPACE, "-q").lines().sorted().toList())
        .containsExactly("backup-restore-operator", "backup-restore-operator-crd");
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName("rancher-backup-s3").get();
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry("meta.helm.sh/release-name", "backup-restore-operator");
    assertThat(s3SecretData()).isEqualTo(ranchersS3Secret);
    Deployment deployment =
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName("backup-restore-operator")
            .get();
    Map<String, String> env =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
    assertThat(env)
        .containsEntry("DEFAULT_S3_BACKUP_STORAGE_LOCATION", "rancher-backup-s3")
        .doesNotContainKey("DEFAULT_PERSISTENCE_ENABLED");
    assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    assertThat(uids()).containsAllEntriesOf(uidsBefore);
    assertThat(client.resources(ResourceSet.class).withName("rancher-resource-set-basic").get())
        .isNotNull();
  }

  /** The default-S3 Secret's keys and values, decoded. */
  private static Map<String, String> s3SecretData() {
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName("rancher-backup-s3").get();
    assertThat(secret).as("Secret rancher-backup-s3").isNotNull();
    return secret.getData().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
  }

  private static Map<String, String> uids() {
    Map<String, String> uids = new TreeMap<>();
    client
        .resources(Backup.class)
        .list()
        .getItems()
        .forEach(b -> uids.put("Backup/" + b.getMetadata().getName(), b.getMetadata().getUid()));
    uids.put(
        "ResourceSet/shop",
        client.resources(ResourceSet.class).withName("shop").get().getMetadata().getUid());
    return uids;
  }
}

package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both charts, rendered by helm, applied to a real apiserver: the CRDs become Established, every
 * object of the operator chart is accepted with each value set, and the ServiceAccount's RBAC
 * really allows (or, read-only, refuses) what backup and restore do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartInstallIT {
  private static final String SERVICE_ACCOUNT =
      "system:serviceaccount:" + NAMESPACE + ":backup-restore-operator";
  private static final String DEFAULTS =
      """
      resourceSets: {rancher: {enabled: true}}
      optionalResources: {kubewarden: {enabled: true}}
      monitoring: {metrics: {enabled: true}}
      """;

  private static final Helm helm = Helm.located();
  private static Kubectl kubectl;
  private static KubernetesClient client;

  @BeforeAll
  static void installTheCrdChart() {
    LocalControlPlane plane = LocalControlPlane.shared();
    kubectl = new Kubectl(plane);
    client = plane.client();
    ClusterFixtures.installCrds(kubectl, helm.template(Helm.CRD_CHART, ""));
    ClusterFixtures.ensureOperatorNamespace(kubectl);
  }

  @AfterAll
  static void uninstall() {
    for (String values :
        List.of(DEFAULTS, "rbac: {readOnly: true}", "rbac: {clusterAdmin: true}")) {
      delete(values);
    }
  }

  static Stream<String> valueSets() {
    return Stream.of(
        "",
        DEFAULTS,
        "persistence: {enabled: true, size: 1Gi}",
        "persistence: {enabled: true, storageClass: standard, volumeName: nfs}",
        """
        s3:
          enabled: true
          bucketName: backups
          credentialSecretName: creds
          credentialSecretNamespace: default
          endpoint: minio.local:9000
          clientConfig: {bucketLookup: path, aws: {dualStack: false}}
        proxy: http://proxy.local:3128
        """,
        "rbac: {readOnly: true}",
        "rbac: {clusterAdmin: true}",
        """
        debug: true
        securityContext: {runAsNonRoot: false}
        resources: {limits: {memory: 512Mi}}
        tolerations: [{key: dedicated, operator: Exists}]
        """);
  }

  @Order(1)
  @ParameterizedTest
  @MethodSource("valueSets")
  void everyValueSetIsAcceptedByTheApiServer(String values) {
    // Server-side dry run: admission and validation, nothing stored, so value sets do not collide.
    String output =
        kubectl.runWithInput(
            helm.template(Helm.OPERATOR_CHART, values),
            "create",
            "--dry-run=server",
            "--validate=strict",
            "-f",
            "-");

    assertThat(output).contains("deployment.apps/backup-restore-operator created (server dry run)");
  }

  @Order(2)
  @Test
  void installedChartHasEstablishedCrdsRbacAndResourceSets() {
    apply(DEFAULTS);

    for (String crd :
        List.of(
            "backups.resources.cattle.io",
            "restores.resources.cattle.io",
            "resourcesets.resources.cattle.io")) {
      CustomResourceDefinition definition =
          client.apiextensions().v1().customResourceDefinitions().withName(crd).get();
      assertThat(definition.getStatus().getConditions())
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Established");
                assertThat(c.getStatus()).isEqualTo("True");
              });
    }
    assertThat(client.rbac().clusterRoles().withName("backup-restore-operator").get()).isNotNull();
    assertThat(client.rbac().clusterRoleBindings().withName("backup-restore-operator").get())
        .isNotNull();
    assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName("backup-restore-operator"))
        .satisfies(sa -> assertThat(sa.get()).isNotNull());
    assertThat(
            client.apps().deployments().inNamespace(NAMESPACE).withName("backup-restore-operator"))
        .satisfies(d -> assertThat(d.get()).isNotNull());
    assertThat(client.services().inNamespace(NAMESPACE).withName("backup-restore-operator").get())
        .isNotNull();
    List<ResourceSet> sets = client.resources(ResourceSet.class).list().getItems();
    assertThat(sets)
        .extracting(set -> set.getMetadata().getName())
        .contains(
            "backup-restore-generic", "rancher-resource-set-basic", "rancher-resource-set-full");
    assertThat(sets)
        .filteredOn(set -> set.getMetadata().getName().equals("rancher-resource-set-full"))
        .singleElement()
        .satisfies(set -> assertThat(set.getResourceSelectors()).hasSizeGreaterThan(100));
  }

  @Order(3)
  @Test
  void defaultRoleCanBackUpRestoreAndPruneButNotImpersonate() {
    apply("");

    assertThat(canI("list", "secrets", "--all-namespaces")).isTrue();
    assertThat(canI("get", "customresourcedefinitions.apiextensions.k8s.io")).isTrue();
    assertThat(canI("create", "deployments.apps", "-n", "shop")).isTrue();
    assertThat(canI("update", "customresourcedefinitions.apiextensions.k8s.io")).isTrue();
    assertThat(canI("delete", "namespaces")).isTrue();
    assertThat(canI("update", "backups.resources.cattle.io", "--subresource=status")).isTrue();
    assertThat(canI("create", "leases.coordination.k8s.io", "-n", NAMESPACE)).isTrue();
    assertThat(canI("impersonate", "users")).isFalse();
    assertThat(canI("impersonate", "serviceaccounts")).isFalse();
    // escalate: restoring a ClusterRole that grants what the operator itself does not hold.
    assertThat(createClusterRoleAsOperator().exitCode()).isZero();
    kubectl.run("delete", "clusterrole", "restored-impersonator");
  }

  @Order(4)
  @Test
  void readOnlyRoleCanBackUpButNotRestore() {
    delete("");
    apply("rbac: {readOnly: true}");

    assertThat(canI("list", "secrets", "--all-namespaces")).isTrue();
    assertThat(canI("list", "deployments.apps", "--all-namespaces")).isTrue();
    assertThat(canI("update", "backups.resources.cattle.io", "--subresource=status")).isTrue();
    assertThat(canI("create", "events", "-n", "default")).isTrue();
    assertThat(canI("create", "leases.coordination.k8s.io", "-n", NAMESPACE)).isTrue();
    assertThat(canI("create", "deployments.apps", "-n", "shop")).isFalse();
    assertThat(canI("update", "backups.resources.cattle.io")).isFalse();
    assertThat(canI("delete", "namespaces")).isFalse();
    assertThat(canI("create", "leases.coordination.k8s.io", "-n", "default")).isFalse();
    Kubectl.Result refused = createClusterRoleAsOperator();
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("forbidden");
  }

  @Order(5)
  @Test
  void clusterAdminValueBindsClusterAdmin() {
    delete("rbac: {readOnly: true}");
    apply("rbac: {clusterAdmin: true}");

    assertThat(canI("*", "*", "--all-namespaces")).isTrue();
    assertThat(client.rbac().clusterRoles().withName("backup-restore-operator").get()).isNull();
  }

  private static void apply(String values) {
    kubectl.runWithInput(
        helm.template(Helm.OPERATOR_CHART, values), "apply", "--validate=strict", "-f", "-");
  }

  private static void delete(String values) {
    kubectl.runWithInput(
        helm.template(Helm.OPERATOR_CHART, values),
        "delete",
        "--ignore-not-found",
        "--wait=false",
        "-f",
        "-");
  }

  /** {@code kubectl auth can-i} as the operator's ServiceAccount. */
  private static boolean canI(String verb, String resource, String... flags) {
    String[] args =
        Stream.concat(
                Stream.of("auth", "can-i", verb, resource, "--as=" + SERVICE_ACCOUNT),
                Stream.of(flags))
            .toArray(String[]::new);
    Kubectl.Result result = kubectl.tryRun(null, args);
    // The answer is the last line; warnings (e.g. "not namespace scoped") may come before it.
    List<String> lines = result.output().trim().lines().toList();
    String answer = lines.get(lines.size() - 1).trim();
    assertThat(answer).as(String.join(" ", args)).isIn("yes", "no");
    return answer.equals("yes");
  }

  /** As the operator, creates a ClusterRole granting impersonation, which the operator lacks. */
  private static Kubectl.Result createClusterRoleAsOperator() {
    return kubectl.tryRun(
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: restored-impersonator
        rules:
          - apiGroups: [""]
            resources: ["users"]
            verbs: ["impersonate"]
        """,
        "create",
        "--as=" + SERVICE_ACCOUNT,
        "-f",
        "-");
  }
}

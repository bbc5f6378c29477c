package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.OPERATOR_CHART;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart's etcd snapshot switch: off by default, least-privilege RBAC when on. */
class EtcdSnapshotsChartTest {
  private static final String NAME = "backup-restore-operator";
  private final Helm helm = Helm.located();

  @Test
  void offByDefault() {
    RenderedManifests manifests = RenderedManifests.parse(helm.template(OPERATOR_CHART, ""));
    assertThat(manifests.all(ClusterRole.class))
        .noneMatch(r -> r.getMetadata().getName().endsWith("-etcd"));
    assertThat(env(manifests)).doesNotContainKey("ETCD_SNAPSHOTS_ENABLED");
  }

  @Test
  void onGivesTheOperatorItsEtcdResourcesAndTheJobsInItsNamespaceOnly() {
    RenderedManifests manifests =
        RenderedManifests.parse(
            helm.template(
                OPERATOR_CHART, "etcdSnapshots:\n  enabled: true\n  distribution: rke2\n"));
    Map<String, String> env = env(manifests);
    assertThat(env).containsEntry("ETCD_SNAPSHOTS_ENABLED", "true");
    assertThat(env).containsEntry("ETCD_DEFAULT_DISTRIBUTION", "rke2");
    assertThat(env.get("OPERATOR_IMAGE")).contains("backup-restore-operator");

    ClusterRole cluster = manifests.one(ClusterRole.class, NAME + "-etcd");
    assertThat(cluster.getRules()).allSatisfy(EtcdSnapshotsChartTest::noWildcards);
    assertThat(cluster.getRules().stream().flatMap(r -> r.getResources().stream()))
        .doesNotContain("jobs", "pods", "secrets");
    Role agents = manifests.one(Role.class, NAME + "-etcd-agents");
    assertThat(agents.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
    assertThat(agents.getRules()).allSatisfy(EtcdSnapshotsChartTest::noWildcards);
    assertThat(agents.getRules().stream().flatMap(r -> r.getResources().stream()))
        .containsExactlyInAnyOrder("jobs", "pods", "secrets");
    assertThat(
            agents.getRules().stream()
                .filter(r -> r.getResources().contains("secrets"))
                .flatMap(r -> r.getVerbs().stream()))
        .containsExactly("get");
  }

  private static void noWildcards(PolicyRule rule) {
    assertThat(rule.getVerbs()).doesNotContain("*", "impersonate");
    assertThat(rule.getResources()).doesNotContain("*");
    assertThat(rule.getApiGroups()).doesNotContain("*");
  }

  private static Map<String, String> env(RenderedManifests manifests) {
    Deployment deployment = manifests.one(Deployment.class, NAME);
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}

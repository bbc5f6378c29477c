package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.OPERATOR_CHART;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart's lifecycle defaults (issue 9): two replicas with leader election, liveness, readiness
 * and startup probes on the always-on health port, a termination grace period longer than the
 * operator's wait for running work, resource requests and limits, a size limit on /tmp, and the
 * RBAC that leader election and the Secret watch need.
 */
class OperatorChartLifecycleTest {
  private static final String DEPLOYMENT = "backup-restore-operator";
  private final Helm helm = Helm.located();

  private RenderedManifests render(String values) {
    return RenderedManifests.parse(helm.template(OPERATOR_CHART, values));
  }

  private static Deployment deployment(RenderedManifests manifests) {
    return manifests.one(Deployment.class, DEPLOYMENT);
  }

  private static Container container(RenderedManifests manifests) {
    return deployment(manifests).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void twoReplicasWithLeaderElectionByDefault() {
    RenderedManifests manifests = render("");
    Deployment deployment = deployment(manifests);
    List<EnvVar> env = container(manifests).getEnv();

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy()).isNull(); // RollingUpdate: the standby leads
    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("LEADER_ELECTION");
              assertThat(e.getValue()).isEqualTo("true");
            })
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("POD_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            });
  }

  @Test
  void withoutLeaderElectionOneReplicaIsReplacedNotRolled() {
    RenderedManifests manifests = render("leaderElection: {enabled: false}\nreplicas: 3");
    Deployment deployment = deployment(manifests);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(container(manifests).getEnv()).noneMatch(e -> e.getName().equals("LEADER_ELECTION"));
  }

  @Test
  void probesUseTheHealthEndpoints() {
    Container container = container(render(""));

    assertThat(container.getPorts())
        .anySatisfy(
            port -> {
              assertThat(port.getName()).isEqualTo("health");
              assertThat(port.getContainerPort()).isEqualTo(8081);
            });
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
  }

  @Test
  void resourcesGracePeriodAndTemporaryVolumeHaveDefaults() {
    RenderedManifests manifests = render("");
    PodSpec pod = deployment(manifests).getSpec().getTemplate().getSpec();
    Container container = container(manifests);

    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(container.getResources().getLimits())
        .containsEntry("memory", new Quantity("1Gi"))
        .doesNotContainKey("cpu");
    // Longer than the 120 s the operator waits for running backups and restores.
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(150L);
    assertThat(
            pod.getVolumes().stream()
                .filter(v -> v.getName().equals("tmp"))
                .findFirst()
                .orElseThrow()
                .getEmptyDir()
                .getSizeLimit())
        .isEqualTo(new Quantity("2Gi"));
  }

  @Test
  void theRoleLetsTheOperatorElectALeaderAndWatchItsSecrets() {
    Role role = render("").one(Role.class, DEPLOYMENT);

    assertThat(role.getRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getResources()).containsExactly("leases");
              assertThat(rule.getVerbs()).contains("get", "create", "update");
            })
        .anySatisfy(
            rule -> {
              assertThat(rule.getResources()).containsExactly("secrets");
              assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            });
  }
}

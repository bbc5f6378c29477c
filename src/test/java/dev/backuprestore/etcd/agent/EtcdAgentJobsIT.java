package dev.backuprestore.etcd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered per-node Jobs are accepted by the real kube-apiserver (server-side dry run: there is
 * no kubelet here to run them) and their spec is what the design says.
 */
class EtcdAgentJobsIT {
  private static AgentJobRequest request(EtcdPreset preset, AgentJobRequest.S3Env s3) {
    return new AgentJobRequest(
        "default",
        "ghcr.io/backup-restore-operator/backup-restore-operator:0.1.0",
        "nightly",
        null,
        "2026-12-01T00:00:00Z_etcd",
        "cp-1",
        preset,
        null,
        null,
        null,
        null,
        List.of(),
        null,
        5,
        5,
        4,
        15,
        300,
        s3,
        null,
        true);
  }

  @ParameterizedTest
  @EnumSource(
      value = EtcdPreset.class,
      names = {"KUBEADM", "RKE2", "K3S", "RKE1"})
  void theApiServerAcceptsTheJobOfEveryPreset(EtcdPreset preset) {
    KubernetesClient client = LocalControlPlane.shared().client();
    AgentJobRequest.S3Env s3 =
        new AgentJobRequest.S3Env(
            Map.of("S3_BUCKET", "snapshots", "S3_ENDPOINT", "minio.example:9000"), "s3-creds");
    Job rendered = EtcdAgentJobs.render(request(preset, s3));
    Job accepted = client.batch().v1().jobs().resource(rendered).dryRun().create();

    assertThat(accepted.getMetadata().getName()).isEqualTo(rendered.getMetadata().getName());
    PodSpec pod = accepted.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(accepted.getSpec().getBackoffLimit()).isZero();
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchFields()
                .get(0))
        .satisfies(
            f -> {
              assertThat(f.getKey()).isEqualTo("metadata.name");
              assertThat(f.getValues()).containsExactly("cp-1");
            });
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get("snapshots").getHostPath().getPath())
        .isEqualTo("/opt/rke/etcd-snapshots");
    assertThat(
            pod.getVolumes().stream()
                .filter(v -> v.getHostPath() != null && v.getHostPath().getType().equals("File"))
                .map(v -> v.getHostPath().getPath()))
        .containsExactlyInAnyOrder(preset.caFile(), preset.certFile(), preset.keyFile());
    var container = pod.getContainers().get(0);
    assertThat(container.getArgs()).containsExactly("etcd-agent");
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getName().startsWith("etcd-cert-"))
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue())
        .hasSize(3);
    Map<String, EnvVar> env =
        container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("ETCD_ENDPOINT").getValue()).isEqualTo(preset.endpoint());
    assertThat(env.get("S3_SECRET_KEY").getValue()).isNull();
    assertThat(env.get("S3_SECRET_KEY").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("s3-creds");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void rke1ReachesEtcdOnTheNodeAddress() {
    Job job = EtcdAgentJobs.render(request(EtcdPreset.RKE1, null));
    var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("NODE_IP");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
            });
    assertThat(env.stream().map(EnvVar::getName)).doesNotContain("S3_BUCKET", "S3_SECRET_KEY");
  }

  @Test
  void customNeedsHostCertificates() {
    assertThatThrownBy(() -> EtcdAgentJobs.render(request(EtcdPreset.CUSTOM, null)))
        .hasMessageContaining("hostCerts");
  }

  @Test
  void jobNamesAreShortStableAndDistinctPerNode() {
    String a = EtcdAgentJobs.jobName("x".repeat(80), "n", "cp-1");
    assertThat(a.length()).isLessThanOrEqualTo(63);
    assertThat(a).isEqualTo(EtcdAgentJobs.jobName("x".repeat(80), "n", "cp-1"));
    assertThat(a).isNotEqualTo(EtcdAgentJobs.jobName("x".repeat(80), "n", "cp-2"));
  }
}

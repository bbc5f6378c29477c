package dev.backuprestore.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.etcd.v1alpha1.EtcdAccess;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotSpec;
import dev.backuprestore.api.etcd.v1alpha1.HostCertificates;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent Jobs node mode renders, without a cluster (no S3: nothing is read from the API). */
class NodeModeRunnerTest {
  private final NodeModeRunner runner =
      new NodeModeRunner(
          null,
          new EtcdAccessResolver(null, "ops", false),
          new EtcdSnapshotFiles(null),
          "ops",
          "operator:1",
          "kubeadm");

  @Test
  void aCustomEtcdOnAnotherPortIsTheMemberEachAgentSnapshots() {
    EtcdAccess access = new EtcdAccess();
    access.setDistribution("custom");
    HostCertificates certs = new HostCertificates();
    certs.setCaFile("/pki/etcd/ca.crt");
    certs.setCertFile("/pki/etcd/client.crt");
    certs.setKeyFile("/pki/etcd/client.key");
    access.setHostCerts(certs);
    access.setEndpoints(List.of("https://127.0.0.1:12379"));

    Map<String, String> env = env(render(access));

    assertThat(env)
        .containsEntry("ETCD_ENDPOINT", "https://127.0.0.1:12379")
        .containsEntry("ETCD_HEALTH_ENDPOINTS", "https://127.0.0.1:12379")
        .containsEntry("ETCD_CACERT", "/pki/etcd/ca.crt");
  }

  @Test
  void withoutEndpointsThePresetsMemberStays() {
    EtcdAccess access = new EtcdAccess();
    access.setDistribution("rke2");

    assertThat(env(render(access))).containsEntry("ETCD_ENDPOINT", "https://127.0.0.1:2379");
  }

  private Job render(EtcdAccess access) {
    EtcdSnapshotSpec spec = new EtcdSnapshotSpec();
    spec.setEtcd(access);
    EtcdSnapshot snapshot = new EtcdSnapshot();
    snapshot.setMetadata(new ObjectMetaBuilder().withName("nightly").build());
    snapshot.setSpec(spec);
    List<Job> jobs = runner.render(snapshot, "one", List.of("cp-1"), 5, 5, Duration.ofSeconds(300));
    assertThat(jobs).hasSize(1);
    return jobs.get(0);
  }

  private static Map<String, String> env(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}

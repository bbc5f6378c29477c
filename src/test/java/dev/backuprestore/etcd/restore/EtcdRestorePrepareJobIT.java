package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The example Job that prepares a restore on one node is valid for a real apiserver (server-side
 * dry run: no kubelet here to run it), and it runs the command the image dispatches.
 */
class EtcdRestorePrepareJobIT {
  @Test
  void theExampleJobIsAcceptedByTheApiServerAndRunsEtcdRestorePrepare() throws Exception {
    KubernetesClient client = LocalControlPlane.shared().client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("cattle-resources-system")
                .endMetadata()
                .build())
        .serverSideApply();
    String yaml =
        Files.readString(Path.of("examples/etcd-restore/prepare-job.yaml"))
            .replace("NODE", "cp-1")
            .replace("VERSION", "0.1.0");
    Job job =
        client
            .batch()
            .v1()
            .jobs()
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();

    Job accepted = client.batch().v1().jobs().resource(job).dryRun().create();

    assertThat(accepted.getMetadata().getName()).isEqualTo("etcd-restore-prepare-cp-1");
    var pod = accepted.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeName()).isEqualTo("cp-1");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getContainers().get(0).getArgs()).startsWith("etcd-restore", "prepare");
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace("cattle-resources-system")
                .withName(accepted.getMetadata().getName())
                .get())
        .isNull();
  }
}

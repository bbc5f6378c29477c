package dev.backuprestore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The test bed itself: a real kube-apiserver backed by a real etcd. */
class LocalControlPlaneIT {

  @Test
  void servesTheKubernetesApiFromARealEtcd() {
    LocalControlPlane plane = LocalControlPlane.shared();
    KubernetesClient client = plane.client();

    assertThat(client.getKubernetesVersion().getGitVersion()).startsWith("v1.34");
    assertThat(client.namespaces().withName("kube-system").get().getMetadata().getUid())
        .isNotBlank();

    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("harness").endMetadata().build())
        .serverSideApply();
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("probe")
            .withNamespace("harness")
            .endMetadata()
            .addToStringData("key", "value")
            .build();
    client.secrets().resource(secret).create();

    byte[] stored = plane.etcdGet("/registry/secrets/harness/probe");
    // Without an encryption provider the apiserver stores protobuf with the k8s magic prefix.
    assertThat(new String(stored, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("k8s");
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).contains("value");
  }
}

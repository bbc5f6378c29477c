package dev.backuprestore.operator.etcd;

import dev.backuprestore.operator.EventRecorder;
import dev.backuprestore.operator.status.StatusWriter;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.S3ProxyServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * The EtcdSnapshot and EtcdRestore reconcilers alone in a java-operator-sdk Operator against the
 * shared apiserver.
 */
final class EtcdOperatorFixture implements AutoCloseable {
  static final String NAMESPACE = "etcd-operator-test";
  final LocalControlPlane plane = LocalControlPlane.shared();
  final KubernetesClient client = plane.client();
  final PrometheusRegistry registry = new PrometheusRegistry();
  private final KubernetesClient operatorClient;
  private final Operator operator;

  EtcdOperatorFixture(String image) {
    OperatorHarness.installCrds(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    operatorClient = new KubernetesClientBuilder().withConfig(plane.adminConfig()).build();
    Clock clock = Clock.systemUTC();
    operator =
        new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(false));
    operator.register(
        EtcdSnapshotWiring.reconciler(
            operatorClient,
            Map.of("OPERATOR_IMAGE", image),
            NAMESPACE,
            true,
            new StatusWriter(operatorClient),
            new EventRecorder(operatorClient, clock),
            registry,
            clock,
            "test"));
    operator.register(
        EtcdRestoreWiring.reconciler(
            operatorClient,
            Map.of("OPERATOR_IMAGE", image),
            NAMESPACE,
            true,
            new StatusWriter(operatorClient),
            new EventRecorder(operatorClient, clock),
            clock));
    operator.start();
  }

  /** A Secret in the operator's namespace. */
  void secret(String name, Map<String, String> stringData) {
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(stringData)
                .build())
        .serverSideApply();
  }

  /** The S3Proxy credentials under the keys a storage location's Secret has. */
  void s3CredentialSecret(String name) {
    secret(
        name, Map.of("accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY));
  }

  @Override
  public void close() {
    operator.stop();
    operatorClient.close();
  }
}

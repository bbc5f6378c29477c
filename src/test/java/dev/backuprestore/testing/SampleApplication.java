package dev.backuprestore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.ResourceSelector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A small application in its own namespace, what a user backs up: two ConfigMaps, an Opaque Secret
 * and a Deployment. {@link #deleteObjects()} removes them (the Namespace stays: without a
 * controller manager a deleted Namespace would stay Terminating), {@link #assertRestored()} checks
 * that they are back with their content.
 */
public final class SampleApplication {
  /** ConfigMaps settings and features, Secret db-password, Deployment web. */
  public static final int OBJECTS = 4;

  public static final String PASSWORD = "not-a-real-password";

  private final KubernetesClient client;
  private final String namespace;

  public SampleApplication(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  /** Selects exactly the application's objects (not its Namespace). */
  public ResourceSelector[] selectors() {
    return new ResourceSelector[] {
      BackupRestoreClient.selector("v1", "^configmaps$|^secrets$", namespace),
      BackupRestoreClient.selector("apps/v1", "^deployments$", namespace)
    };
  }

  /** Creates the Namespace (if missing) and the objects. */
  public SampleApplication create() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    client.configMaps().inNamespace(namespace).resource(configMap("settings", "blue")).create();
    client.configMaps().inNamespace(namespace).resource(configMap("features", "red")).create();
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db-password")
                .withNamespace(namespace)
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of("password", base64(PASSWORD)))
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(Workloads.deployment(namespace, "web", 3, "nginx:1.27"))
        .create();
    return this;
  }

  /** Deletes the four objects (they have no finalizers, so they are gone at once). */
  public void deleteObjects() {
    client.configMaps().inNamespace(namespace).withName("settings").delete();
    client.configMaps().inNamespace(namespace).withName("features").delete();
    client.secrets().inNamespace(namespace).withName("db-password").delete();
    client.apps().deployments().inNamespace(namespace).withName("web").delete();
    assertDeleted();
  }

  public void assertDeleted() {
    assertThat(configMap("settings")).isNull();
    assertThat(configMap("features")).isNull();
    assertThat(secret()).isNull();
    assertThat(client.apps().deployments().inNamespace(namespace).withName("web").get()).isNull();
  }

  public void assertRestored() {
    assertThat(configMap("settings")).isNotNull();
    assertThat(configMap("settings").getData()).containsExactly(Map.entry("color", "blue"));
    assertThat(configMap("features").getData()).containsExactly(Map.entry("color", "red"));
    assertThat(secret()).isNotNull();
    assertThat(secret().getType()).isEqualTo("Opaque");
    assertThat(secret().getData()).containsExactly(Map.entry("password", base64(PASSWORD)));
    Deployment web = client.apps().deployments().inNamespace(namespace).withName("web").get();
    assertThat(web).isNotNull();
    assertThat(web.getSpec().getReplicas()).isEqualTo(3);
    assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx:1.27");
  }

  public ConfigMap configMap(String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get();
  }

  public Secret secret() {
    return client.secrets().inNamespace(namespace).withName("db-password").get();
  }

  private ConfigMap configMap(String name, String color) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withData(Map.of("color", color))
        .build();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}

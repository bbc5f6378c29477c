package dev.backuprestore.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Objects and collection runs for the collector's integration tests on the shared control plane.
 * Every namespace it creates starts with {@link #run}, unique per fixture, so tests restrict their
 * selectors to their own objects.
 */
final class CollectorFixture {
  final LocalControlPlane plane = LocalControlPlane.shared();
  final KubernetesClient client = plane.client();
  final String run = "cit-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);

  /** What a collection run handed to the sink, keyed by {@code plural:[namespace/]name}. */
  record Collected(Map<String, ObjectNode> objects, CollectionSummary summary) {
    List<String> keys() {
      return List.copyOf(objects.keySet());
    }
  }

  Collected collect(ResourceSelector... selectors) throws IOException {
    Map<String, ObjectNode> objects = new LinkedHashMap<>();
    CollectionSummary summary =
        new ResourceCollector(client)
            .collect(
                List.of(selectors),
                (type, object) -> {
                  String namespace = object.path("metadata").path("namespace").asText("");
                  String key =
                      type.plural()
                          + ":"
                          + (type.namespaced() ? namespace + "/" : "")
                          + object.path("metadata").path("name").asText();
                  assertThat(objects.put(key, object)).as("emitted twice: " + key).isNull();
                });
    return new Collected(objects, summary);
  }

  static ResourceSelector selector(String apiVersion, String namespaceRegexp) {
    ResourceSelector selector = new ResourceSelector();
    selector.setApiVersion(apiVersion);
    selector.setNamespaceRegexp(namespaceRegexp);
    return selector;
  }

  /** Creates (or keeps) the namespace {@code <run>-<suffix>} and returns its name. */
  String namespace(String suffix) {
    String name = run + "-" + suffix;
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  void configMap(String namespace, String name, Map<String, String> labels) {
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
  }

  void secret(String namespace, String name, String type) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withType(type)
                .addToStringData("k", "v")
                .build())
        .create();
  }
}

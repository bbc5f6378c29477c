package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Shared pieces of the restore integration tests on the shared control plane. Names are unique per
 * fixture ({@link #run}); prune selectors are restricted to a test's own namespaces, because other
 * tests share the apiserver.
 */
final class RestoreFixture {
  final LocalControlPlane plane = LocalControlPlane.shared();
  final KubernetesClient client = plane.client();
  final ObjectApi api = new ObjectApi(client);
  final RestoreRunner runner = new RestoreRunner(client);
  final String run = "rit-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);

  String name(String suffix) {
    return run + "-" + suffix;
  }

  /** Runs a job to the end, waiting (in the test) as long as the runner asks, at most 30 times. */
  RestoreResult restore(RestoreJob job) {
    for (int attempt = 0; attempt < 30; attempt++) {
      RestoreResult result = runner.run(job);
      if (!result.isWaiting()) {
        return result;
      }
      sleep(result.retryAfter().toMillis());
    }
    return fail("the restore kept waiting");
  }

  static RestoreJob job(String id, Supplier<java.io.InputStream> archive) {
    return RestoreJob.of(id + "-" + UUID.randomUUID(), archive);
  }

  Optional<ObjectNode> get(
      String group, String version, String resource, String namespace, String name) {
    return api.get(new ObjectPath(group, version, resource, namespace, name));
  }

  ObjectNode live(String group, String version, String resource, String namespace, String name) {
    return get(group, version, resource, namespace, name)
        .orElseThrow(
            () -> new AssertionError("missing " + resource + " " + namespace + "/" + name));
  }

  ObjectNode create(String resource, ObjectNode object) {
    String[] groupVersion = Json.groupVersion(object.path("apiVersion").asText());
    JsonNode metadata = object.path("metadata");
    String namespace = metadata.has("namespace") ? metadata.path("namespace").asText() : null;
    return api.create(
        new ObjectPath(
            groupVersion[0], groupVersion[1], resource, namespace, metadata.path("name").asText()),
        object.deepCopy());
  }

  void createNamespace(String name) {
    create("namespaces", Json.namespace(name));
  }

  /**
   * resourceVersions of every object of the common types in the namespace (and of the namespace).
   */
  Map<String, String> snapshot(String namespace) {
    Map<String, String> versions = new TreeMap<>();
    get("", "v1", "namespaces", null, namespace)
        .ifPresent(ns -> versions.put("namespace", ns.at("/metadata/resourceVersion").asText()));
    for (String[] type :
        List.of(
            new String[] {"", "v1", "configmaps"},
            new String[] {"", "v1", "secrets"},
            new String[] {"", "v1", "serviceaccounts"},
            new String[] {"", "v1", "services"},
            new String[] {"apps", "v1", "deployments"})) {
      String path =
          (type[0].isEmpty() ? "/api/" + type[1] : "/apis/" + type[0] + "/" + type[1])
              + "/namespaces/"
              + namespace
              + "/"
              + type[2];
      ObjectNode list = new dev.backuprestore.kube.KubeJsonApi(client).get(path, Map.of());
      for (JsonNode item : list.path("items")) {
        versions.put(
            type[2] + "/" + item.at("/metadata/name").asText(),
            item.at("/metadata/resourceVersion").asText());
      }
    }
    return versions;
  }

  /**
   * A filters.json whose selectors match only the given namespaces: their ConfigMaps, Secrets,
   * ServiceAccounts, Services and Deployments, and the Namespace objects themselves.
   */
  static String filters(List<String> namespaces, String controllerJson) {
    String regexp = "^(" + String.join("|", namespaces) + ")$";
    return """
        {"metadata":{"name":"test-set"},
         "resourceSelectors":[
           {"apiVersion":"v1","kindsRegexp":"^(configmaps|secrets|serviceaccounts|services)$",
            "namespaceRegexp":"%1$s"},
           {"apiVersion":"apps/v1","kindsRegexp":"^deployments$","namespaceRegexp":"%1$s"},
           {"apiVersion":"v1","kindsRegexp":"^namespaces$","resourceNameRegexp":"%1$s"}],
         "controllerReferences":[%2$s]}
        """
        .formatted(regexp, controllerJson == null ? "" : controllerJson);
  }

  static String controller(String namespace, String name) {
    return """
        {"apiVersion":"apps/v1","resource":"deployments","namespace":"%s","name":"%s"}"""
        .formatted(namespace, name);
  }

  static ObjectNode deployment(String namespace, String name, int replicas) {
    ObjectNode deployment = Json.object("apps/v1", "Deployment", namespace, name);
    ObjectNode spec = deployment.putObject("spec").put("replicas", replicas);
    spec.putObject("selector").putObject("matchLabels").put("app", name);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app", name);
    template
        .putObject("spec")
        .putArray("containers")
        .addObject()
        .put("name", "main")
        .put("image", "registry.example/" + name + ":1");
    return deployment;
  }

  /**
   * Asserts that every field of {@code expected} is in {@code actual} with the same value (objects
   * recursively; arrays element by element, same length): the server may add defaults and its own
   * metadata, nothing more.
   */
  static void assertContains(JsonNode actual, JsonNode expected, String where) {
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(where + " is an object").isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertThat(actual.has(field.getKey())).as(where + "." + field.getKey()).isTrue();
        assertContains(actual.get(field.getKey()), field.getValue(), where + "." + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(where + " size").isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), where + "[" + i + "]");
      }
    } else if (expected.isNumber()) {
      assertThat(actual.decimalValue()).as(where).isEqualByComparingTo(expected.decimalValue());
    } else {
      assertThat(actual).as(where).isEqualTo(expected);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

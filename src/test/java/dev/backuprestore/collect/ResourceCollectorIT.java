package dev.backuprestore.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.kube.CanonicalJson;
import dev.backuprestore.kube.KubeJsonApi;
import dev.backuprestore.kube.ListSelectors;
import dev.backuprestore.kube.PaginatedLister;
import dev.backuprestore.kube.ResourceType;
import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collector against a real kube-apiserver: every selector field, discovery of served and
 * unserved group/versions, pagination, custom resources and objects being deleted. Each test works
 * in namespaces of its own (prefix {@link #run}) and restricts its selectors to them, because the
 * control plane is shared with other tests.
 */
class ResourceCollectorIT {
  private static LocalControlPlane plane;
  private static KubernetesClient client;
  private static String run;

  @BeforeAll
  static void connect() {
    plane = LocalControlPlane.shared();
    client = plane.client();
    run = "cit-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
  }

  /** What a collection run handed to the sink, keyed by {@code plural:[namespace/]name}. */
  private record Collected(Map<String, ObjectNode> objects, CollectionSummary summary) {
    List<String> keys() {
      return List.copyOf(objects.keySet());
    }
  }

  private static Collected collect(ResourceSelector... selectors) throws IOException {
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

  private static ResourceSelector selector(String apiVersion, String namespaceRegexp) {
    ResourceSelector selector = new ResourceSelector();
    selector.setApiVersion(apiVersion);
    selector.setNamespaceRegexp(namespaceRegexp);
    return selector;
  }

  private static String namespace(String suffix) {
    String name = run + "-" + suffix;
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  private static void configMap(String namespace, String name, Map<String, String> labels) {
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

  private static void secret(String namespace, String name, String type) {
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

  @Test
  void kindsKindsRegexpAndExcludeKinds() throws IOException {
    String ns = namespace("kinds");
    configMap(ns, "cm", Map.of());
    secret(ns, "s", "Opaque");
    String only = "^" + ns + "$";

    ResourceSelector exactKinds = selector("v1", only);
    exactKinds.setKinds(List.of("ConfigMap"));
    assertThat(collect(exactKinds).keys()).containsExactly("configmaps:" + ns + "/cm");

    ResourceSelector regexpMinusExcluded = selector("v1", only);
    regexpMinusExcluded.setKindsRegexp("^(secrets|configmaps)$");
    regexpMinusExcluded.setExcludeKinds(List.of("Secret"));
    assertThat(collect(regexpMinusExcluded).keys()).containsExactly("configmaps:" + ns + "/cm");

    ResourceSelector exactBypassesExclude = selector("v1", only);
    exactBypassesExclude.setKinds(List.of("secrets"));
    exactBypassesExclude.setExcludeKinds(List.of("secrets", "Secret"));
    assertThat(collect(exactBypassesExclude).keys()).containsExactly("secrets:" + ns + "/s");

    // Overlapping selectors: each object once.
    Collected both = collect(exactKinds, regexpMinusExcluded, exactBypassesExclude);
    assertThat(both.keys()).containsExactly("configmaps:" + ns + "/cm", "secrets:" + ns + "/s");
    assertThat(both.summary()).isEqualTo(new CollectionSummary(2, 1, 0));
  }

  @Test
  void resourceNamesRegexpAndExcludeRegexp() throws IOException {
    String ns = namespace("names");
    for (String name : List.of("keep-a", "keep-b", "skip-c", "other")) {
      configMap(ns, name, Map.of());
    }

    ResourceSelector selector = selector("v1", "^" + ns + "$");
    selector.setKinds(List.of("configmaps"));
    selector.setResourceNameRegexp("^keep-");
    selector.setExcludeResourceNameRegexp("-b$");
    selector.setResourceNames(List.of("other"));
    assertThat(collect(selector).keys())
        .containsExactlyInAnyOrder("configmaps:" + ns + "/keep-a", "configmaps:" + ns + "/other");

    ResourceSelector exactBypassesExclude = selector("v1", "^" + ns + "$");
    exactBypassesExclude.setKinds(List.of("configmaps"));
    exactBypassesExclude.setResourceNames(List.of("keep-b"));
    exactBypassesExclude.setExcludeResourceNameRegexp("-b$");
    assertThat(collect(exactBypassesExclude).keys())
        .containsExactlyInAnyOrder(
            "configmaps:" + ns + "/keep-a",
            "configmaps:" + ns + "/keep-b",
            "configmaps:" + ns + "/other",
            "configmaps:" + ns + "/skip-c");
  }

  @Test
  void namespacesOrNamespaceRegexpAndClusterScopedTypesIgnoreThem() throws IOException {
    String first = namespace("ns-one");
    String second = namespace("ns-two");
    String third = namespace("ns-three");
    for (String ns : List.of(first, second, third)) {
      configMap(ns, "cm", Map.of());
    }

    ResourceSelector selector = selector("v1", "^" + run + "-ns-t");
    selector.setKinds(List.of("ConfigMap"));
    selector.setNamespaces(List.of(first));
    assertThat(collect(selector).keys())
        .containsExactlyInAnyOrder(
            "configmaps:" + first + "/cm",
            "configmaps:" + second + "/cm",
            "configmaps:" + third + "/cm");

    ResourceSelector exactOnly = selector("v1", null);
    exactOnly.setKinds(List.of("ConfigMap"));
    exactOnly.setNamespaces(List.of(second));
    assertThat(collect(exactOnly).keys()).containsExactly("configmaps:" + second + "/cm");

    ResourceSelector namespaces = selector("v1", "^nothing-matches$");
    namespaces.setKinds(List.of("Namespace"));
    namespaces.setResourceNameRegexp("^" + run + "-ns-");
    assertThat(collect(namespaces).keys())
        .containsExactlyInAnyOrder(
            "namespaces:" + first, "namespaces:" + second, "namespaces:" + third);
  }

  @Test
  void labelSelectorsEqualityAndSetBased() throws IOException {
    String ns = namespace("labels");
    configMap(ns, "web-front", Map.of("app", "web", "tier", "front"));
    configMap(ns, "api", Map.of("app", "api"));
    configMap(ns, "web-legacy", Map.of("app", "web", "legacy", "true"));
    configMap(ns, "plain", Map.of());

    assertThat(
            labelled(ns, new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build()))
        .containsExactlyInAnyOrder("web-front", "web-legacy");
    assertThat(labelled(ns, expression("app", "In", "web", "api")))
        .containsExactlyInAnyOrder("web-front", "api", "web-legacy");
    assertThat(labelled(ns, expression("app", "NotIn", "web")))
        .containsExactlyInAnyOrder("api", "plain");
    assertThat(labelled(ns, expression("legacy", "Exists"))).containsExactly("web-legacy");
    assertThat(labelled(ns, expression("app", "DoesNotExist"))).containsExactly("plain");
    assertThat(labelled(ns, new LabelSelector())).hasSize(4);
  }

  private static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(operator)
        .withValues(values)
        .endMatchExpression()
        .build();
  }

  private static List<String> labelled(String ns, LabelSelector labels) throws IOException {
    ResourceSelector selector = selector("v1", "^" + ns + "$");
    selector.setKinds(List.of("ConfigMap"));
    selector.setLabelSelectors(labels);
    return collect(selector).objects().values().stream()
        .map(object -> object.path("metadata").path("name").asText())
        .toList();
  }

  @Test
  void fieldSelectorsOnNameAndSecretType() throws IOException {
    String ns = namespace("fields");
    secret(ns, "opaque", "Opaque");
    secret(ns, "custom", "example.com/token");
    configMap(ns, "wanted", Map.of());
    configMap(ns, "unwanted", Map.of());

    ResourceSelector byType = selector("v1", "^" + ns + "$");
    byType.setKinds(List.of("Secret"));
    byType.setFieldSelectors(Map.of("type", "example.com/token"));
    assertThat(collect(byType).keys()).containsExactly("secrets:" + ns + "/custom");

    ResourceSelector byName = selector("v1", "^" + ns + "$");
    byName.setKinds(List.of("ConfigMap"));
    byName.setFieldSelectors(Map.of("metadata.name", "wanted", "metadata.namespace", ns));
    assertThat(collect(byName).keys()).containsExactly("configmaps:" + ns + "/wanted");

    ResourceSelector unsupported = selector("v1", "^" + ns + "$");
    unsupported.setKinds(List.of("ConfigMap"));
    unsupported.setFieldSelectors(Map.of("data.k", "v"));
    assertThatThrownBy(() -> collect(unsupported))
        .isInstanceOf(CollectionException.class)
        .hasMessageContaining("listing configmaps/v1: GET /api/v1/configmaps: 400")
        .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isTrue());
  }

  @Test
  void unservedApiVersionIsSkippedAndTheNextSelectorRuns() throws IOException {
    String ns = namespace("unserved");
    configMap(ns, "cm", Map.of());
    ResourceSelector unserved = selector("not-served.example.com/v1", null);
    ResourceSelector unservedVersion = selector("apps/v0", null);
    ResourceSelector served = selector("v1", "^" + ns + "$");
    served.setKinds(List.of("ConfigMap"));

    assertThat(collect(unserved, unservedVersion, served).keys())
        .containsExactly("configmaps:" + ns + "/cm");
  }

  @Test
  void paginatesOverMoreThan200Objects() throws IOException {
    String ns = namespace("pages");
    for (int i = 0; i < 450; i++) {
      configMap(ns, String.format("cm-%03d", i), Map.of("page-test", run));
    }
    ResourceType configMaps =
        new ResourceType("", "v1", "configmaps", "ConfigMap", true, List.of("list"));
    List<Integer> pageSizes = new ArrayList<>();
    AtomicLong total = new AtomicLong();

    new PaginatedLister(new KubeJsonApi(client))
        .list(
            configMaps,
            new ListSelectors("page-test=" + run, ""),
            page -> {
              pageSizes.add(page.size());
              total.addAndGet(page.size());
            });

    assertThat(pageSizes).containsExactly(200, 200, 50);
    assertThat(total).hasValue(450);

    ResourceSelector selector = selector("v1", "^" + ns + "$");
    selector.setKinds(List.of("ConfigMap"));
    Collected collected = collect(selector);
    assertThat(collected.objects()).hasSize(450);
    assertThat(collected.keys())
        .contains("configmaps:" + ns + "/cm-000", "configmaps:" + ns + "/cm-449");
  }

  @Test
  void customResourcesKeepExactIntegers() throws IOException {
    String group = run + ".example.com";
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName("widgets." + group)
            .endMetadata()
            .withNewSpec()
            .withGroup(group)
            .withScope("Namespaced")
            .withNewNames()
            .withPlural("widgets")
            .withSingular("widget")
            .withKind("Widget")
            .withListKind("WidgetList")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("widgets." + group)
                    .get()
                    .getStatus()
                    .getConditions()
                    .stream()
                    .anyMatch(
                        c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    String ns = namespace("crs");
    ResourceDefinitionContext widgets =
        new ResourceDefinitionContext.Builder()
            .withGroup(group)
            .withVersion("v1")
            .withPlural("widgets")
            .withKind("Widget")
            .withNamespaced(true)
            .build();
    // Sent as raw JSON so that the client itself cannot round the integers.
    new Kubectl(plane)
        .runWithInput(
            "{\"apiVersion\":\""
                + group
                + "/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\""
                + ns
                + "\"},\"spec\":{\"big\":9007199254740993,\"ratio\":0.5,\"html\":\"<a&b>\"}}",
            "create",
            "-f",
            "-");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              GenericKubernetesResource found =
                  client.genericKubernetesResources(widgets).inNamespace(ns).withName("w").get();
              return found != null;
            });

    ResourceSelector selector = selector(group + "/v1", null);
    selector.setKinds(List.of("Widget"));
    Collected collected = collect(selector);

    assertThat(collected.keys()).containsExactly("widgets:" + ns + "/w");
    String json = CanonicalJson.toString(collected.objects().get("widgets:" + ns + "/w"));
    assertThat(json)
        .startsWith("{\"apiVersion\":\"" + group + "/v1\",\"kind\":\"Widget\",\"metadata\":{")
        .endsWith(
            "\"spec\":{\"big\":9007199254740993,\"html\":\"\\u003ca\\u0026b\\u003e\","
                + "\"ratio\":0.5}}")
        .doesNotContain("\"uid\"", "\"resourceVersion\"", "\"creationTimestamp\"")
        .contains("\"managedFields\"", "\"generation\":1");
  }

  @Test
  void objectsBeingDeletedAreKeptOnlyWhileFinalizersHoldThem() throws IOException {
    String ns = namespace("deleting");
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("held")
                .withFinalizers("example.com/hold")
                .endMetadata()
                .build())
        .create();
    client.configMaps().inNamespace(ns).withName("held").delete();
    // Without a kubelet, a scheduled Pod deleted with a grace period stays in deleting state,
    // with a deletionTimestamp and no finalizers.
    for (String name : List.of("graceful", "held-pod")) {
      client
          .pods()
          .inNamespace(ns)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withFinalizers(name.equals("held-pod") ? List.of("example.com/hold") : List.of())
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName("no-such-node")
                  .addNewContainer()
                  .withName("c")
                  .withImage("example.invalid/none")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
      client.pods().inNamespace(ns).withName(name).withGracePeriod(600).delete();
    }
    assertThat(client.pods().inNamespace(ns).withName("graceful").get().getMetadata())
        .satisfies(m -> assertThat(m.getDeletionTimestamp()).isNotNull());

    // No namespace controller runs: a deleted Namespace stays Terminating, held by
    // spec.finalizers; one whose spec.finalizers were cleared is held only by metadata.finalizers,
    // which does not count for Namespaces.
    String terminating = namespace("terminating");
    String finalized = namespace("finalized");
    client
        .namespaces()
        .withName(finalized)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToFinalizers("example.com/hold")
                    .endMetadata()
                    .build());
    client.namespaces().withName(terminating).delete();
    client.namespaces().withName(finalized).delete();
    new Kubectl(plane)
        .runWithInput(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + finalized
                + "\",\"finalizers\":[\"example.com/hold\"]},\"spec\":{\"finalizers\":[]}}",
            "replace",
            "--raw",
            "/api/v1/namespaces/" + finalized + "/finalize",
            "-f",
            "-");

    assertThat(client.namespaces().withName(finalized).get())
        .satisfies(
            n -> {
              assertThat(n.getMetadata().getDeletionTimestamp()).isNotNull();
              assertThat(n.getSpec().getFinalizers()).isEmpty();
            });

    ResourceSelector configMapsAndPods = selector("v1", "^" + ns + "$");
    // "^pods" also matches pods/log, pods/status...: subresources must be skipped, not listed.
    configMapsAndPods.setKindsRegexp("^pods|^configmaps$");
    ResourceSelector namespaces = selector("v1", null);
    namespaces.setKinds(List.of("Namespace"));
    namespaces.setResourceNames(List.of(terminating, finalized));
    Collected collected = collect(configMapsAndPods, namespaces);

    assertThat(collected.keys())
        .containsExactlyInAnyOrder(
            "configmaps:" + ns + "/held", "pods:" + ns + "/held-pod", "namespaces:" + terminating);
    assertThat(collected.summary().deletingSkipped()).isEqualTo(2);
    ObjectNode held = collected.objects().get("pods:" + ns + "/held-pod");
    assertThat(held.path("metadata").has("deletionTimestamp")).isFalse();
    assertThat(held.path("metadata").has("deletionGracePeriodSeconds")).isFalse();
    assertThat(held.path("metadata").path("finalizers").get(0).asText())
        .isEqualTo("example.com/hold");
  }
}

package dev.backuprestore.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.kube.CanonicalJson;
import dev.backuprestore.kube.ResourceType;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collector's control flow against a scripted API server (unknown paths answer 404). */
class ResourceCollectorTest {
  private static final String CORE_DISCOVERY =
      """
      {"kind":"APIResourceList","groupVersion":"v1","resources":[
        {"name":"configmaps","namespaced":true,"kind":"ConfigMap","verbs":["get","list"]},
        {"name":"namespaces","namespaced":false,"kind":"Namespace","verbs":["get","list"]},
        {"name":"pods/log","namespaced":true,"kind":"Pod","verbs":["get","list"]},
        {"name":"secrets","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}
      """;
  private static final String EXAMPLE_DISCOVERY =
      """
      {"kind":"APIResourceList","groupVersion":"example.com/v1","resources":[
        {"name":"widgets","namespaced":true,"kind":"Widget","verbs":["get"]},
        {"name":"widgets/status","namespaced":true,"kind":"Widget","verbs":["get","list"]},
        {"name":"gadgets","namespaced":false,"kind":"Gadget","verbs":["get"]},
        {"name":"doodads","namespaced":false,"kind":"Doodad","verbs":["create"]}]}
      """;

  private KubernetesMockServer server;
  private KubernetesClient client;
  private ResourceCollector collector;
  private final List<String> collected = new ArrayList<>();
  private final List<ObjectNode> objects = new ArrayList<>();
  private final CollectedObjectSink sink =
      (type, object) -> {
        String namespace = object.path("metadata").path("namespace").asText("");
        collected.add(
            type.plural()
                + ":"
                + (namespace.isEmpty() ? "" : namespace + "/")
                + object.path("metadata").path("name").asText());
        objects.add(object);
      };

  @BeforeEach
  void startServer() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    collector = new ResourceCollector(client);
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  private void respond(String path, String body) {
    server.expect().get().withPath(path).andReturn(200, body).always();
  }

  private void respondOnce(String path, String body) {
    server.expect().get().withPath(path).andReturn(200, body).once();
  }

  private static String list(String kind, String... items) {
    return "{\"kind\":\""
        + kind
        + "List\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":["
        + String.join(",", items)
        + "]}";
  }

  private static String object(String namespace, String name, String extraMetadata) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\""
        + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"")
        + ",\"uid\":\"u-"
        + name
        + "\",\"resourceVersion\":\"7\",\"creationTimestamp\":\"2024-01-01T00:00:00Z\""
        + extraMetadata
        + "}}";
  }

  private static ResourceSelector selector(String apiVersion) {
    ResourceSelector selector = new ResourceSelector();
    selector.setApiVersion(apiVersion);
    return selector;
  }

  @Test
  void listsWithServerSideSelectorsThenFiltersNamesAndNamespacesAndCleans() throws IOException {
    respond("/api/v1", CORE_DISCOVERY);
    respond(
        "/api/v1/secrets?labelSelector=app%3Dweb&fieldSelector=type%3DOpaque&limit=200",
        list(
            "Secret",
            object("ns1", "keep-1", ""),
            object("ns2", "keep-2", ""),
            object("ns1", "drop", ""),
            object("ns1", "keep-deleting", ",\"deletionTimestamp\":\"2024-01-02T00:00:00Z\""),
            object(
                "ns1",
                "keep-finalized",
                ",\"deletionTimestamp\":\"2024-01-02T00:00:00Z\",\"finalizers\":[\"x\"],"
                    + "\"deletionGracePeriodSeconds\":0")));
    ResourceSelector selector = selector("v1");
    selector.setKinds(List.of("Secret"));
    selector.setResourceNameRegexp("^keep");
    selector.setNamespaces(List.of("ns1"));
    selector.setLabelSelectors(
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build());
    selector.setFieldSelectors(Map.of("type", "Opaque"));

    CollectionSummary summary = collector.collect(List.of(selector), sink);

    assertThat(collected).containsExactly("secrets:ns1/keep-1", "secrets:ns1/keep-finalized");
    assertThat(summary).isEqualTo(new CollectionSummary(2, 0, 1));
    assertThat(CanonicalJson.toString(objects.get(1)))
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"finalizers\":[\"x\"],"
                + "\"name\":\"keep-finalized\",\"namespace\":\"ns1\"}}");
  }

  @Test
  void namespaceFiltersDoNotApplyToClusterScopedTypes() throws IOException {
    respond("/api/v1", CORE_DISCOVERY);
    respond(
        "/api/v1/namespaces?limit=200",
        list("Namespace", object(null, "a", ""), object(null, "b", "")));
    ResourceSelector selector = selector("v1");
    selector.setKinds(List.of("namespaces"));
    selector.setNamespaces(List.of("elsewhere"));
    selector.setNamespaceRegexp("^nothing$");

    collector.collect(List.of(selector), sink);

    assertThat(collected).containsExactly("namespaces:a", "namespaces:b");
  }

  @Test
  void everyTypeOfTheGroupWhenNoKindsAreGivenButNeverSubresources() throws IOException {
    respond("/api/v1", CORE_DISCOVERY);
    respond("/api/v1/configmaps?limit=200", list("ConfigMap", object("n", "c", "")));
    respond("/api/v1/namespaces?limit=200", list("Namespace", object(null, "n", "")));
    respond("/api/v1/secrets?limit=200", list("Secret", object("n", "s", "")));
    ResourceSelector selector = selector("v1");
    selector.setExcludeKinds(List.of("Secret"));

    collector.collect(List.of(selector), sink);

    // pods/log would answer 404 and fail the run if it were listed; excludeKinds is ignored.
    assertThat(collected).containsExactly("configmaps:n/c", "namespaces:n", "secrets:n/s");
  }

  @Test
  void getOnlyTypesAreFetchedByNamesTimesNamespacesWithoutFilters() throws IOException {
    respond("/apis/example.com/v1", EXAMPLE_DISCOVERY);
    for (String namespace : List.of("n1", "n2")) {
      for (String name : List.of("a", "b")) {
        respond(
            "/apis/example.com/v1/namespaces/" + namespace + "/widgets/" + name,
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + namespace
                + "\"}}");
      }
    }
    respond("/apis/example.com/v1/gadgets/a", "{\"metadata\":{\"name\":\"a\"}}");
    respond("/apis/example.com/v1/gadgets/b", "{\"metadata\":{\"name\":\"b\"}}");
    ResourceSelector selector = selector("example.com/v1");
    selector.setResourceNames(List.of("a", "b"));
    selector.setNamespaces(List.of("n1", "n2"));
    selector.setResourceNameRegexp("^nothing-matches$");

    collector.collect(List.of(selector), sink);

    assertThat(collected)
        .containsExactly(
            "widgets:n1/a",
            "widgets:n1/b",
            "widgets:n2/a",
            "widgets:n2/b",
            "gadgets:a",
            "gadgets:b");
    assertThat(objects.get(4).path("kind").asText()).isEqualTo("Gadget");
    assertThat(objects.get(4).path("apiVersion").asText()).isEqualTo("example.com/v1");
  }

  @Test
  void getOnlyTypesNeedNamesAndNamespaces() throws IOException {
    respond("/apis/example.com/v1", EXAMPLE_DISCOVERY);
    respond(
        "/apis/example.com/v1/gadgets/a", "{\"kind\":\"Gadget\",\"metadata\":{\"name\":\"a\"}}");
    ResourceSelector noNames = selector("example.com/v1");
    noNames.setNamespaces(List.of("n1"));
    ResourceSelector noNamespaces = selector("example.com/v1");
    noNamespaces.setResourceNames(List.of("a"));

    collector.collect(List.of(noNames, noNamespaces), sink);

    assertThat(collected).containsExactly("gadgets:a");
  }

  @Test
  void aFailingGetFailsTheCollection() {
    respond("/apis/example.com/v1", EXAMPLE_DISCOVERY);
    ResourceSelector selector = selector("example.com/v1");
    selector.setKinds(List.of("Gadget"));
    selector.setResourceNames(List.of("missing"));

    assertThatThrownBy(() -> collector.collect(List.of(selector), sink))
        .isInstanceOf(CollectionException.class)
        .hasMessageStartingWith(
            "getting gadgets.example.com/v1 missing: GET /apis/example.com/v1/gadgets/missing: 404");
  }

  @Test
  void unservedApiVersionIsSkippedSilently() throws IOException {
    respond("/api/v1", CORE_DISCOVERY);
    respond("/api/v1/secrets?limit=200", list("Secret", object("n", "s", "")));
    ResourceSelector secrets = selector("v1");
    secrets.setKinds(List.of("secrets"));

    CollectionSummary summary =
        collector.collect(List.of(selector("not.served.io/v1"), secrets), sink);

    assertThat(collected).containsExactly("secrets:n/s");
    assertThat(summary.collected()).isEqualTo(1);
  }

  @Test
  void anObjectMatchedByTwoSelectorsIsEmittedOnceAndDiscoveryIsCached() throws IOException {
    respondOnce("/api/v1", CORE_DISCOVERY);
    respond(
        "/api/v1/secrets?limit=200",
        list("Secret", object("a", "same", ""), object("b", "same", "")));
    respond("/api/v1/secrets?labelSelector=x&limit=200", list("Secret", object("a", "same", "")));
    ResourceSelector all = selector("v1");
    all.setKinds(List.of("Secret"));
    ResourceSelector labelled = selector("v1");
    labelled.setKinds(List.of("Secret"));
    labelled.setLabelSelectors(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("x")
            .withOperator("Exists")
            .endMatchExpression()
            .build());

    CollectionSummary summary = collector.collect(List.of(all, labelled), sink);

    assertThat(collected).containsExactly("secrets:a/same", "secrets:b/same");
    assertThat(summary).isEqualTo(new CollectionSummary(2, 1, 0));
  }

  @Test
  void selectorsOfTheSameTypeApartStillEmitAnObjectOnce() throws IOException {
    respond("/api/v1", CORE_DISCOVERY);
    respond("/api/v1/secrets?limit=200", list("Secret", object("a", "same", "")));
    respond("/api/v1/configmaps?limit=200", list("ConfigMap", object("a", "same", "")));
    respond("/api/v1/secrets?labelSelector=x&limit=200", list("Secret", object("a", "same", "")));
    ResourceSelector secrets = selector("v1");
    secrets.setKinds(List.of("Secret"));
    ResourceSelector configMaps = selector("v1");
    configMaps.setKinds(List.of("ConfigMap"));
    ResourceSelector labelledSecrets = selector("v1");
    labelledSecrets.setKinds(List.of("Secret"));
    labelledSecrets.setLabelSelectors(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("x")
            .withOperator("Exists")
            .endMatchExpression()
            .build());

    CollectionSummary summary =
        collector.collect(List.of(secrets, configMaps, labelledSecrets), sink);

    assertThat(collected).containsExactly("secrets:a/same", "configmaps:a/same");
    assertThat(summary).isEqualTo(new CollectionSummary(2, 1, 0));
  }

  @Test
  void discoveryFailureStopsWithRancherMessage() {
    server
        .expect()
        .get()
        .withPath("/api/v1")
        .andReturn(403, "{\"kind\":\"Status\",\"reason\":\"Forbidden\",\"message\":\"no\"}")
        .always();

    assertThatThrownBy(() -> collector.collect(List.of(selector("v1")), sink))
        .isInstanceOf(CollectionException.class)
        .hasMessage("error gathering resource for v1: GET /api/v1: 403 Forbidden: no")
        .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isFalse());
  }

  @Test
  void invalidKindsRegexpIsPrefixedLikeRancher() {
    respond("/api/v1", CORE_DISCOVERY);
    ResourceSelector selector = selector("v1");
    selector.setKindsRegexp("[");

    assertThatThrownBy(() -> collector.collect(List.of(selector), sink))
        .isInstanceOf(CollectionException.class)
        .hasMessageStartingWith("error gathering resource for v1: error in kindsRegexp pattern [: ")
        .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isTrue());
  }

  @Test
  void malformedApiVersionIsPermanent() {
    assertThatThrownBy(() -> collector.collect(List.of(selector("a/b/c")), sink))
        .isInstanceOf(CollectionException.class)
        .hasMessage("unexpected GroupVersion string: a/b/c")
        .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isTrue());
  }

  @Test
  void invalidLabelSelectorIsPermanent() {
    respond("/api/v1", CORE_DISCOVERY);
    ResourceSelector selector = selector("v1");
    selector.setKinds(List.of("Secret"));
    selector.setLabelSelectors(
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("x")
            .withOperator("Equals")
            .endMatchExpression()
            .build());

    assertThatThrownBy(() -> collector.collect(List.of(selector), sink))
        .isInstanceOf(CollectionException.class)
        .hasMessage(
            "invalid labelSelectors in the selector for v1: \"Equals\" is not a valid label"
                + " selector operator")
        .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isTrue());
  }

  @Test
  void rejectedListIsPermanentAndNamesTheType() {
    respond("/api/v1", CORE_DISCOVERY);
    server
        .expect()
        .get()
        .withPath("/api/v1/configmaps?fieldSelector=data%3Dx&limit=200")
        .andReturn(400, "{\"kind\":\"Status\",\"reason\":\"BadRequest\",\"message\":\"bad field\"}")
        .always();
    ResourceSelector selector = selector("v1");
    selector.setKinds(List.of("ConfigMap"));
    selector.setFieldSelectors(Map.of("data", "x"));

    assertThatThrownBy(() -> collector.collect(List.of(selector), sink))
        .isInstanceOf(CollectionException.class)
        .hasMessage("listing configmaps/v1: GET /api/v1/configmaps: 400 BadRequest: bad field")
        .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isTrue());
  }

  @Test
  void sinkFailureStopsTheCollection() {
    respond("/api/v1", CORE_DISCOVERY);
    respond("/api/v1/secrets?limit=200", list("Secret", object("n", "s", "")));
    ResourceSelector selector = selector("v1");
    selector.setKinds(List.of("Secret"));
    CollectedObjectSink failing =
        (ResourceType type, ObjectNode object) -> {
          throw new IOException("disk full");
        };

    assertThatThrownBy(() -> collector.collect(List.of(selector), failing))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
  }
}

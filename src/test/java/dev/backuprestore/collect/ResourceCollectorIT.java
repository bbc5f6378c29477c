package dev.backuprestore.collect;

import static dev.backuprestore.collect.CollectorFixture.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.kube.KubeJsonApi;
import dev.backuprestore.kube.ListSelectors;
import dev.backuprestore.kube.PaginatedLister;
import dev.backuprestore.kube.ResourceType;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The collector against a real kube-apiserver: every selector field, unserved group/versions and
 * pagination. Each test works in namespaces of its own and restricts its selectors to them, because
 * the control plane is shared with other tests. See also {@link CollectedObjectsIT}.
 */
class ResourceCollectorIT {
  private final CollectorFixture fixture = new CollectorFixture();

  @Test
  void kindsKindsRegexpAndExcludeKinds() throws IOException {
    String ns = fixture.namespace("kinds");
    fixture.configMap(ns, "cm", Map.of());
    fixture.secret(ns, "s", "Opaque");
    String only = "^" + ns + "$";

    ResourceSelector exactKinds = selector("v1", only);
    exactKinds.setKinds(List.of("ConfigMap"));
    assertThat(fixture.collect(exactKinds).keys()).containsExactly("configmaps:" + ns + "/cm");

    ResourceSelector regexpMinusExcluded = selector("v1", only);
    regexpMinusExcluded.setKindsRegexp("^(secrets|configmaps)$");
    regexpMinusExcluded.setExcludeKinds(List.of("Secret"));
    assertThat(fixture.collect(regexpMinusExcluded).keys())
        .containsExactly("configmaps:" + ns + "/cm");

    ResourceSelector exactBypassesExclude = selector("v1", only);
    exactBypassesExclude.setKinds(List.of("secrets"));
    exactBypassesExclude.setExcludeKinds(List.of("secrets", "Secret"));
    assertThat(fixture.collect(exactBypassesExclude).keys())
        .containsExactly("secrets:" + ns + "/s");

    // Overlapping selectors: each object once.
    CollectorFixture.Collected both =
        fixture.collect(exactKinds, regexpMinusExcluded, exactBypassesExclude);
    assertThat(both.keys()).containsExactly("configmaps:" + ns + "/cm", "secrets:" + ns + "/s");
    assertThat(both.summary()).isEqualTo(new CollectionSummary(2, 1, 0));
  }

  @Test
  void resourceNamesRegexpAndExcludeRegexp() throws IOException {
    String ns = fixture.namespace("names");
    for (String name : List.of("keep-a", "keep-b", "skip-c", "other")) {
      fixture.configMap(ns, name, Map.of());
    }

    ResourceSelector selector = selector("v1", "^" + ns + "$");
    selector.setKinds(List.of("configmaps"));
    selector.setResourceNameRegexp("^keep-");
    selector.setExcludeResourceNameRegexp("-b$");
    selector.setResourceNames(List.of("other"));
    assertThat(fixture.collect(selector).keys())
        .containsExactlyInAnyOrder("configmaps:" + ns + "/keep-a", "configmaps:" + ns + "/other");

    ResourceSelector exactBypassesExclude = selector("v1", "^" + ns + "$");
    exactBypassesExclude.setKinds(List.of("configmaps"));
    exactBypassesExclude.setResourceNames(List.of("keep-b"));
    exactBypassesExclude.setExcludeResourceNameRegexp("-b$");
    assertThat(fixture.collect(exactBypassesExclude).keys())
        .containsExactlyInAnyOrder(
            "configmaps:" + ns + "/keep-a",
            "configmaps:" + ns + "/keep-b",
            "configmaps:" + ns + "/other",
            "configmaps:" + ns + "/skip-c");
  }

  @Test
  void namespacesOrNamespaceRegexpAndClusterScopedTypesIgnoreThem() throws IOException {
    String first = fixture.namespace("ns-one");
    String second = fixture.namespace("ns-two");
    String third = fixture.namespace("ns-three");
    for (String ns : List.of(first, second, third)) {
      fixture.configMap(ns, "cm", Map.of());
    }

    ResourceSelector selector = selector("v1", "^" + fixture.run + "-ns-t");
    selector.setKinds(List.of("ConfigMap"));
    selector.setNamespaces(List.of(first));
    assertThat(fixture.collect(selector).keys())
        .containsExactlyInAnyOrder(
            "configmaps:" + first + "/cm",
            "configmaps:" + second + "/cm",
            "configmaps:" + third + "/cm");

    ResourceSelector exactOnly = selector("v1", null);
    exactOnly.setKinds(List.of("ConfigMap"));
    exactOnly.setNamespaces(List.of(second));
    assertThat(fixture.collect(exactOnly).keys()).containsExactly("configmaps:" + second + "/cm");

    ResourceSelector namespaces = selector("v1", "^nothing-matches$");
    namespaces.setKinds(List.of("Namespace"));
    namespaces.setResourceNameRegexp("^" + fixture.run + "-ns-");
    assertThat(fixture.collect(namespaces).keys())
        .containsExactlyInAnyOrder(
            "namespaces:" + first, "namespaces:" + second, "namespaces:" + third);
  }

  @Test
  void labelSelectorsEqualityAndSetBased() throws IOException {
    String ns = fixture.namespace("labels");
    fixture.configMap(ns, "web-front", Map.of("app", "web", "tier", "front"));
    fixture.configMap(ns, "api", Map.of("app", "api"));
    fixture.configMap(ns, "web-legacy", Map.of("app", "web", "legacy", "true"));
    fixture.configMap(ns, "plain", Map.of());

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

  private List<String> labelled(String ns, LabelSelector labels) throws IOException {
    ResourceSelector selector = selector("v1", "^" + ns + "$");
    selector.setKinds(List.of("ConfigMap"));
    selector.setLabelSelectors(labels);
    return fixture.collect(selector).objects().values().stream()
        .map(object -> object.path("metadata").path("name").asText())
        .toList();
  }

  @Test
  void fieldSelectorsOnNameAndSecretType() throws IOException {
    String ns = fixture.namespace("fields");
    fixture.secret(ns, "opaque", "Opaque");
    fixture.secret(ns, "custom", "example.com/token");
    fixture.configMap(ns, "wanted", Map.of());
    fixture.configMap(ns, "unwanted", Map.of());

    ResourceSelector byType = selector("v1", "^" + ns + "$");
    byType.setKinds(List.of("Secret"));
    byType.setFieldSelectors(Map.of("type", "example.com/token"));
    assertThat(fixture.collect(byType).keys()).containsExactly("secrets:" + ns + "/custom");

    ResourceSelector byName = selector("v1", "^" + ns + "$");
    byName.setKinds(List.of("ConfigMap"));
    byName.setFieldSelectors(Map.of("metadata.name", "wanted", "metadata.namespace", ns));
    assertThat(fixture.collect(byName).keys()).containsExactly("configmaps:" + ns + "/wanted");

    ResourceSelector unsupported = selector("v1", "^" + ns + "$");
    unsupported.setKinds(List.of("ConfigMap"));
    unsupported.setFieldSelectors(Map.of("data.k", "v"));
    assertThatThrownBy(() -> fixture.collect(unsupported))
        .isInstanceOf(CollectionException.class)
        .hasMessageContaining("listing configmaps/v1: GET /api/v1/configmaps: 400")
        .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isTrue());
  }

  @Test
  void unservedApiVersionIsSkippedAndTheNextSelectorRuns() throws IOException {
    String ns = fixture.namespace("unserved");
    fixture.configMap(ns, "cm", Map.of());
    ResourceSelector unserved = selector("not-served.example.com/v1", null);
    ResourceSelector unservedVersion = selector("apps/v0", null);
    ResourceSelector served = selector("v1", "^" + ns + "$");
    served.setKinds(List.of("ConfigMap"));

    assertThat(fixture.collect(unserved, unservedVersion, served).keys())
        .containsExactly("configmaps:" + ns + "/cm");
  }

  @Test
  void paginatesOverMoreThan200Objects() throws IOException {
    String ns = fixture.namespace("pages");
    for (int i = 0; i < 450; i++) {
      fixture.configMap(ns, String.format("cm-%03d", i), Map.of("page-test", fixture.run));
    }
    ResourceType configMaps =
        new ResourceType("", "v1", "configmaps", "ConfigMap", true, List.of("list"));
    List<Integer> pageSizes = new ArrayList<>();
    AtomicLong total = new AtomicLong();

    new PaginatedLister(new KubeJsonApi(fixture.client))
        .list(
            configMaps,
            new ListSelectors("page-test=" + fixture.run, ""),
            page -> {
              pageSizes.add(page.size());
              total.addAndGet(page.size());
            });

    assertThat(pageSizes).containsExactly(200, 200, 50);
    assertThat(total).hasValue(450);

    ResourceSelector selector = selector("v1", "^" + ns + "$");
    selector.setKinds(List.of("ConfigMap"));
    CollectorFixture.Collected collected = fixture.collect(selector);
    assertThat(collected.objects()).hasSize(450);
    assertThat(collected.keys())
        .contains("configmaps:" + ns + "/cm-000", "configmaps:" + ns + "/cm-449");
  }
}

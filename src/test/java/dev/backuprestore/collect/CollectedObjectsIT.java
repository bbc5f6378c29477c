package dev.backuprestore.collect;

import static dev.backuprestore.collect.CollectorFixture.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.kube.CanonicalJson;
import dev.backuprestore.testing.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the collector hands on, against a real kube-apiserver: custom resources with exact integers
 * and Go's escaping, cleaned metadata, and Rancher's rule for objects being deleted.
 */
class CollectedObjectsIT {
  private final CollectorFixture fixture = new CollectorFixture();

  @Test
  void customResourcesKeepExactIntegers() throws IOException {
    String group = fixture.run + ".example.com";
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
    fixture.client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                fixture
                    .client
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
    String ns = fixture.namespace("crs");
    ResourceDefinitionContext widgets =
        new ResourceDefinitionContext.Builder()
            .withGroup(group)
            .withVersion("v1")
            .withPlural("widgets")
            .withKind("Widget")
            .withNamespaced(true)
            .build();
    // Sent as raw JSON so that the client itself cannot round the integers.
    new Kubectl(fixture.plane)
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
                  fixture
                      .client
                      .genericKubernetesResources(widgets)
                      .inNamespace(ns)
                      .withName("w")
                      .get();
              return found != null;
            });

    ResourceSelector selector = selector(group + "/v1", null);
    selector.setKinds(List.of("Widget"));
    CollectorFixture.Collected collected = fixture.collect(selector);

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
    String ns = fixture.namespace("deleting");
    fixture
        .client
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
    fixture.client.configMaps().inNamespace(ns).withName("held").delete();
    // Without a kubelet, a scheduled Pod deleted with a grace period stays in deleting state,
    // with a deletionTimestamp and no finalizers.
    for (String name : List.of("graceful", "held-pod")) {
      fixture
          .client
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
      fixture.client.pods().inNamespace(ns).withName(name).withGracePeriod(600).delete();
    }
    assertThat(fixture.client.pods().inNamespace(ns).withName("graceful").get().getMetadata())
        .satisfies(m -> assertThat(m.getDeletionTimestamp()).isNotNull());

    // No namespace controller runs: a deleted Namespace stays Terminating, held by
    // spec.finalizers; one whose spec.finalizers were cleared is held only by metadata.finalizers,
    // which does not count for Namespaces.
    String terminating = fixture.namespace("terminating");
    String finalized = fixture.namespace("finalized");
    fixture
        .client
        .namespaces()
        .withName(finalized)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToFinalizers("example.com/hold")
                    .endMetadata()
                    .build());
    fixture.client.namespaces().withName(terminating).delete();
    fixture.client.namespaces().withName(finalized).delete();
    new Kubectl(fixture.plane)
        .runWithInput(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + finalized
                + "\",\"finalizers\":[\"example.com/hold\"]},\"spec\":{\"finalizers\":[]}}",
            "replace",
            "--raw",
            "/api/v1/namespaces/" + finalized + "/finalize",
            "-f",
            "-");

    assertThat(fixture.client.namespaces().withName(finalized).get())
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
    CollectorFixture.Collected collected = fixture.collect(configMapsAndPods, namespaces);

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

package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CRDs and their custom resources (docs/rancher-compat.md#restore-crds, #restore-apply): wait,
 * status, preserveUnknownFields, versions.
 */
class RestoreCrdIT {
  private final RestoreFixture fixture = new RestoreFixture();
  private final String group = fixture.run + ".example.com";

  /**
   * A v1 CRD {@code widgets.<group>} with the given versions (name, storage) and a status
   * subresource.
   */
  private ObjectNode crd(String plural, String kind, String scope, String... versions) {
    ObjectNode crd =
        (ObjectNode)
            Json.parse(
                """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"%1$s.%2$s"},
                 "spec":{"group":"%2$s","scope":"%3$s",
                   "names":{"plural":"%1$s","singular":"%4$s","kind":"%5$s","listKind":"%5$sList"},
                   "versions":[]}}
                """
                    .formatted(plural, group, scope, kind.toLowerCase(), kind));
    for (String version : versions) {
      String[] parts = version.split(":");
      ObjectNode entry =
          (ObjectNode)
              Json.parse(
                  """
                  {"name":"%s","served":true,"storage":%s,"subresources":{"status":{}},
                   "schema":{"openAPIV3Schema":{"type":"object","properties":{
                     "spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                     "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}
                  """
                      .formatted(parts[0], parts[1]));
      ((com.fasterxml.jackson.databind.node.ArrayNode) crd.at("/spec/versions")).add(entry);
    }
    return crd;
  }

  @Test
  void restoresCrdsThenCustomResourcesWithTheirStatusAndExactNumbers() {
    String ns = fixture.name("crs");
    ObjectNode crd = crd("widgets", "Widget", "Namespaced", "v1:true");
    ObjectNode widget =
        (ObjectNode)
            Json.parse(
                """
                {"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"w1","namespace":"%s"},
                 "spec":{"size":9007199254740993,"ratio":0.1000000000000000055511151231257827},
                 "status":{"phase":"Ready","observed":9223372036854775807}}
                """
                    .formatted(group, ns));
    TestArchive archive =
        new TestArchive()
            .add("namespaces", Json.namespace(ns))
            .add("widgets", widget)
            .add("customresourcedefinitions", crd);
    RestoreJob job = RestoreFixture.job("crs", archive.supplier()).withPrune(false);

    RestoreResult first = fixture.runner.run(job);
    if (first.isWaiting()) { // the CRD is usually not Established yet: the runner did not sleep
      assertThat(first.retryAfter()).isEqualTo(Duration.ofMillis(500));
      assertThat(first.created()).isEqualTo(1); // only the CRD so far
      assertThat(fixture.get(group, "v1", "widgets", ns, "w1")).isEmpty();
    }
    RestoreResult result = first.isWaiting() ? fixture.restore(job) : first;

    assertThat(result.failed()).isZero();
    assertThat(result.created()).isEqualTo(3);
    ObjectNode live = fixture.live(group, "v1", "widgets", ns, "w1");
    assertThat(live.at("/spec/size").toString()).isEqualTo("9007199254740993");
    assertThat(live.at("/status/phase").asText()).isEqualTo("Ready");
    assertThat(live.at("/status/observed").toString()).isEqualTo("9223372036854775807");

    RestoreResult again =
        fixture.restore(RestoreFixture.job("crs-again", archive.supplier()).withPrune(false));
    assertThat(again.failed()).isZero();
    assertThat(again.updated()).isEqualTo(3);
    assertThat(fixture.live(group, "v1", "widgets", ns, "w1").at("/status/phase").asText())
        .isEqualTo("Ready");
  }

  @Test
  void appliesPreserveUnknownFieldsCrdsWithRanchersFix() {
    ObjectNode crd = crd("gadgets", "Gadget", "Cluster", "v1:true");
    ((ObjectNode) crd.get("spec")).put("preserveUnknownFields", true);
    ObjectNode gadget =
        (ObjectNode)
            Json.parse(
                """
                {"apiVersion":"%s/v1","kind":"Gadget","metadata":{"name":"g1"},
                 "anything":{"goes":[1,2,3]}}
                """
                    .formatted(group));
    TestArchive archive =
        new TestArchive().add("customresourcedefinitions", crd).add("gadgets", gadget);

    RestoreResult result =
        fixture.restore(RestoreFixture.job("puf", archive.supplier()).withPrune(false));

    assertThat(result.failed()).isZero();
    ObjectNode live =
        fixture.live(
            "apiextensions.k8s.io", "v1", "customresourcedefinitions", null, "gadgets." + group);
    assertThat(live.at("/spec/preserveUnknownFields").asBoolean()).isFalse();
    assertThat(
            live.at("/spec/versions/0/schema/openAPIV3Schema/x-kubernetes-preserve-unknown-fields")
                .asBoolean())
        .isTrue();
    assertThat(statusOf(live, "Established")).isEqualTo("True");
    assertThat(fixture.live(group, "v1", "gadgets", null, "g1").at("/anything/goes/2").asInt())
        .isEqualTo(3);
  }

  @Test
  void keepsLiveVersionsTheArchiveLacks() {
    // Live: v1 and v2, objects stored as v2. Archive (older): only v1. Without merging v2 back
    // in, the API server refuses the CRD (status.storedVersions must stay in spec.versions).
    fixture.create(
        "customresourcedefinitions", crd("things", "Thing", "Cluster", "v1:false", "v2:true"));
    ObjectNode archived = crd("things", "Thing", "Cluster", "v1:true");

    RestoreResult result =
        fixture.restore(
            RestoreFixture.job(
                    "versions",
                    new TestArchive().add("customresourcedefinitions", archived).supplier())
                .withPrune(false));

    assertThat(result.failed()).isZero();
    ObjectNode live =
        fixture.live(
            "apiextensions.k8s.io", "v1", "customresourcedefinitions", null, "things." + group);
    List<String> versions = new ArrayList<>();
    for (JsonNode version : live.at("/spec/versions")) {
      versions.add(version.path("name").asText() + ":" + version.path("storage").asBoolean());
    }
    assertThat(versions).containsExactly("v1:true", "v2:false");
  }

  private static String statusOf(JsonNode crd, String type) {
    for (JsonNode condition : crd.at("/status/conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition.path("status").asText();
      }
    }
    return "";
  }
}

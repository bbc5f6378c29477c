package dev.backuprestore.restore.actions;

import static dev.backuprestore.restore.actions.ActionTesting.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdActionsTest {
  private static final String ARCHIVED =
      """
      {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
       "metadata":{"name":"widgets.example.com"},
       "spec":{"group":"example.com","names":{"plural":"widgets","kind":"Widget"},"scope":"Namespaced",
         "versions":[{"name":"v1","served":true,"storage":true,
                      "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object"}}}}}]}}
      """;

  private static final String LIVE =
      """
      {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
       "metadata":{"name":"widgets.example.com"},
       "spec":{"group":"example.com","names":{"plural":"widgets","kind":"Widget"},"scope":"Namespaced",
         "versions":[{"name":"v1","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}},
                     {"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
      """;

  @Test
  void addsLiveVersionsMissingFromTheArchiveAsNotStored() {
    RestoreItemAction action = new CrdLiveVersionsAction();
    RestoreItem crd =
        item("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, ARCHIVED, LIVE);

    assertThat(action.appliesTo(crd)).isTrue();
    action.execute(crd);

    List<String> versions = new ArrayList<>();
    for (JsonNode version : crd.object().at("/spec/versions")) {
      versions.add(version.path("name").asText() + ":" + version.path("storage").asBoolean());
    }
    assertThat(versions).containsExactly("v1:true", "v2:false");
  }

  @Test
  void needsALiveCrdToMergeFrom() {
    RestoreItem crd =
        item("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, ARCHIVED);
    assertThat(new CrdLiveVersionsAction().appliesTo(crd)).isFalse();
  }

  @Test
  void fixesPreserveUnknownFieldsWhateverItsValue() {
    RestoreItemAction action = new CrdPreserveUnknownFieldsAction();
    RestoreItem crd =
        item(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            null,
            ARCHIVED.replace(
                "\"scope\":\"Namespaced\"",
                "\"scope\":\"Namespaced\",\"preserveUnknownFields\":true"));
    RestoreItem withoutField =
        item("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, ARCHIVED);

    assertThat(action.appliesTo(crd)).isTrue();
    assertThat(action.appliesTo(withoutField)).isFalse();
    action.execute(crd);

    assertThat(crd.object().at("/spec/preserveUnknownFields").asBoolean()).isFalse();
    assertThat(crd.object().at("/spec/versions/0/schema/openAPIV3Schema").toString())
        .isEqualTo("{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}");
  }

  @Test
  void leavesV1beta1CrdsAlone() {
    RestoreItem crd =
        item(
            "apiextensions.k8s.io",
            "v1beta1",
            "customresourcedefinitions",
            null,
            "{\"apiVersion\":\"apiextensions.k8s.io/v1beta1\",\"metadata\":{\"name\":\"x\"},"
                + "\"spec\":{\"preserveUnknownFields\":true}}");
    assertThat(new CrdPreserveUnknownFieldsAction().appliesTo(crd)).isFalse();
  }
}

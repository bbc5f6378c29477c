package dev.backuprestore.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class SchemaMergePatchTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void mergesNestedPropertiesInsteadOfReplacingThem() {
    JSONSchemaProps schema =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .addToProperties(
                "kinds",
                new JSONSchemaPropsBuilder()
                    .withType("array")
                    .withNewItems()
                    .withNewSchema()
                    .withType("string")
                    .endSchema()
                    .endItems()
                    .build())
            .addToProperties(
                "count", new JSONSchemaPropsBuilder().withType("integer").withFormat("x").build())
            .build();

    JSONSchemaProps patched =
        new SchemaMergePatch()
            .apply(
                schema,
                """
                properties:
                  kinds: {x-kubernetes-list-type: set}
                  count: {format: null, minimum: 1}
                """,
                serialization);

    JSONSchemaProps kinds = patched.getProperties().get("kinds");
    assertThat(kinds.getType()).isEqualTo("array");
    assertThat(kinds.getItems().getSchema().getType()).isEqualTo("string");
    assertThat(kinds.getXKubernetesListType()).isEqualTo("set");
    JSONSchemaProps count = patched.getProperties().get("count");
    assertThat(count.getType()).isEqualTo("integer");
    assertThat(count.getFormat()).as("null removes a member").isNull();
    assertThat(count.getMinimum()).isEqualTo(1.0);
  }

  @Test
  void arraysAndScalarsReplace() {
    JSONSchemaProps schema =
        new JSONSchemaPropsBuilder().withType("object").withRequired("a", "b").build();

    JSONSchemaProps patched =
        new SchemaMergePatch().apply(schema, "{\"required\": [\"c\"]}", serialization);

    assertThat(patched.getRequired()).containsExactly("c");
    assertThat(patched.getType()).isEqualTo("object");
  }
}

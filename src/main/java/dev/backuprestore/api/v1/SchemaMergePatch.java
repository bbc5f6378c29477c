package dev.backuprestore.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;

/**
 * Build-time schema tweak for the CRD generator: applies the YAML or JSON given as {@code input} to
 * the generated schema of the annotated class as an RFC 7386 JSON merge patch.
 *
 * <p>It expresses what the generator annotations cannot: {@code x-kubernetes-list-type}, integer
 * {@code format}s and {@code example}s, needed to match Rancher's CRDs. The generator's own {@link
 * SchemaCustomizer.MergePatchCustomizer} merges only one level deep, which would replace whole
 * {@code properties} maps. Use it as {@code @SchemaCustomizer(value = SchemaMergePatch.class, input
 * = "...")}. Only the CRD generator plugin loads this class; it is never used at runtime.
 */
public final class SchemaMergePatch implements SchemaCustomizer.Customizer {

  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
    JsonNode patch = serialization.unmarshal(input, JsonNode.class);
    JsonNode merged = merge(serialization.convertValue(schema, JsonNode.class), patch);
    return serialization.convertValue(merged, JSONSchemaProps.class);
  }

  /** RFC 7386: objects merge recursively, null removes a member, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (member.getValue().isNull()) {
        result.remove(member.getKey());
      } else {
        result.set(member.getKey(), merge(result.get(member.getKey()), member.getValue()));
      }
    }
    return result;
  }
}

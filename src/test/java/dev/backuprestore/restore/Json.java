package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small builders of Kubernetes objects for tests. */
final class Json {
  private Json() {}

  static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
    ObjectNode object = ArchiveJson.MAPPER.createObjectNode();
    object.put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode metadata = object.putObject("metadata").put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    return object;
  }

  static ObjectNode configMap(String namespace, String name, String key, String value) {
    ObjectNode configMap = object("v1", "ConfigMap", namespace, name);
    configMap.putObject("data").put(key, value);
    return configMap;
  }

  static ObjectNode namespace(String name) {
    return object("v1", "Namespace", null, name);
  }

  /** Adds an owner reference (with a made-up old UID, as archives carry). */
  static ObjectNode ownedBy(ObjectNode object, String apiVersion, String kind, String name) {
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    ArrayNode references =
        metadata.has("ownerReferences")
            ? (ArrayNode) metadata.get("ownerReferences")
            : metadata.putArray("ownerReferences");
    references
        .addObject()
        .put("apiVersion", apiVersion)
        .put("kind", kind)
        .put("name", name)
        .put("uid", "00000000-0000-0000-0000-00000000dead");
    return object;
  }

  static JsonNode parse(String json) {
    try {
      return ArchiveJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {"", "v1"} for "v1", {"apps", "v1"} for "apps/v1". */
  static String[] groupVersion(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0
        ? new String[] {"", apiVersion}
        : new String[] {apiVersion.substring(0, slash), apiVersion.substring(slash + 1)};
  }
}

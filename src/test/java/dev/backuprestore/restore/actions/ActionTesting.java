package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.restore.RestoreItem;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds {@link RestoreItem}s from JSON for action tests. */
final class ActionTesting {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ActionTesting() {}

  static RestoreItem item(
      String group, String version, String resource, String namespace, String json) {
    return item(group, version, resource, namespace, json, null);
  }

  static RestoreItem item(
      String group, String version, String resource, String namespace, String json, String live) {
    ObjectNode object = (ObjectNode) parse(json);
    String name = object.path("metadata").path("name").asText("x");
    return new RestoreItem(
        new ObjectPath(group, version, resource, namespace, name),
        object,
        live == null ? null : parse(live));
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;

/**
 * One object on its way from the archive to the cluster, as {@link RestoreItemAction}s see it.
 *
 * @param path where the object is in the archive (its group, version, resource, namespace, name)
 * @param object the archived object, decrypted; actions may change it in place
 * @param live the object as it is in the cluster now, or {@code null} if absent; read-only
 */
public record RestoreItem(ObjectPath path, ObjectNode object, JsonNode live) {

  public String apiVersion() {
    return object.path("apiVersion").asText("");
  }

  public String kind() {
    return object.path("kind").asText("");
  }

  /** True when the item's group and plural resource are these. */
  public boolean is(String group, String resource) {
    return path.group().equals(group) && path.resource().equals(resource);
  }

  /** "deployments.apps default/web". */
  public String describe() {
    return PlannedObject.describe(path);
  }

  /** The object's {@code metadata}, created if missing. */
  public ObjectNode metadata() {
    JsonNode metadata = object.get("metadata");
    return metadata instanceof ObjectNode node ? node : object.putObject("metadata");
  }
}

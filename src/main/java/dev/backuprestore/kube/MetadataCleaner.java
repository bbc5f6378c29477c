package dev.backuprestore.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Rancher's object cleaning before an object is written to a backup ({@code WriteBackupObjects}):
 * the deleting-object rule and the six server-owned metadata fields that are removed. Everything
 * else (managedFields, generation, ownerReferences, finalizers, status, ...) is kept.
 */
public final class MetadataCleaner {
  /** Removed from {@code metadata}, in Rancher's order. */
  public static final List<String> REMOVED_METADATA_FIELDS =
      List.of(
          "uid",
          "creationTimestamp",
          "deletionTimestamp",
          "selfLink",
          "resourceVersion",
          "deletionGracePeriodSeconds");

  private MetadataCleaner() {}

  /**
   * True for an object that is being deleted (it has {@code metadata.deletionTimestamp}) and that
   * nothing holds any more, so it is not backed up. A Namespace is held by a non-empty {@code
   * spec.finalizers}; any other object by the presence of the {@code metadata.finalizers} key.
   */
  public static boolean isDeletingWithoutFinalizers(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    if (!metadata.has("deletionTimestamp")) {
      return false;
    }
    if ("Namespace".equals(object.path("kind").asText(""))) {
      return !isNonEmptyStringArray(object.path("spec").path("finalizers"));
    }
    return !metadata.has("finalizers");
  }

  /** Removes {@link #REMOVED_METADATA_FIELDS} from the object's metadata, in place. */
  public static void removeServerFields(ObjectNode object) {
    if (object.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove(REMOVED_METADATA_FIELDS);
    }
  }

  /** Like Go's {@code NestedStringSlice}: only an array of strings counts. */
  private static boolean isNonEmptyStringArray(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      return false;
    }
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        return false;
      }
    }
    return true;
  }
}

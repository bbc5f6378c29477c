package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rewrites each {@code ownerReferences[].uid} to the UID of the live owner, which differs from the
 * archived one whenever the owner was recreated (§4.7). The owner is found in this run's results
 * when it is in the archive (it was applied in an earlier wave), otherwise in the cluster. A
 * reference to an owner that is in neither is removed and reported (§11.2); the object is still
 * restored. An object whose archived owner failed to restore fails too: restoring it without its
 * owner would orphan it silently.
 */
final class OwnerReferences {
  private final RestorePlan plan;
  private final ObjectApi api;
  private final ResourceTypes types;
  private final Map<ObjectPath, Optional<String>> liveUids = new ConcurrentHashMap<>();

  OwnerReferences(RestorePlan plan, ObjectApi api, ResourceTypes types) {
    this.plan = plan;
    this.api = api;
    this.types = types;
  }

  /** The archived owner of the object failed, so the object is not restored either. */
  static final class OwnerFailedException extends RuntimeException {
    OwnerFailedException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Rewrites the item's owner references in place; drops those whose owner exists nowhere and adds
   * a warning for each to {@code warnings} (reported once the write succeeds or fails for good).
   *
   * @throws OwnerFailedException when an archived owner failed in this run
   */
  void rewrite(RestoreItem item, List<String> warnings) {
    JsonNode references = item.metadata().get("ownerReferences");
    if (!(references instanceof ArrayNode array) || array.isEmpty()) {
      return;
    }
    String namespace = item.path().namespace();
    for (int i = array.size() - 1; i >= 0; i--) {
      JsonNode reference = array.get(i);
      OwnerRef ref =
          new OwnerRef(
              reference.path("apiVersion").asText(""),
              reference.path("kind").asText(""),
              reference.path("name").asText(""));
      Optional<String> uid = liveUid(ref, namespace);
      if (uid.isPresent()) {
        ((ObjectNode) reference).put("uid", uid.get());
      } else {
        array.remove(i);
        warnings.add(
            item.describe()
                + ": ownerReference to "
                + ref
                + " removed: the owner is neither in the archive nor in the cluster");
      }
    }
    if (array.isEmpty()) {
      item.metadata().remove("ownerReferences");
    }
  }

  private Optional<String> liveUid(OwnerRef ref, String dependentNamespace) {
    Optional<PlannedObject> archived = plan.findOwner(ref, dependentNamespace);
    if (archived.isPresent()) {
      PlannedObject owner = archived.get();
      if (owner.state() == PlannedObject.State.FAILED) {
        throw new OwnerFailedException("its owner " + owner.describe() + " was not restored");
      }
      if (owner.liveUid() != null) {
        return Optional.of(owner.liveUid());
      }
      // Skipped (e.g. a built-in role that Rancher keeps) or not applied yet: look at the cluster.
      return lookUp(owner.path());
    }
    Optional<ResourceType> type = types.forKind(ref.apiVersion(), ref.kind());
    if (type.isEmpty() || (type.get().namespaced() && dependentNamespace == null)) {
      return Optional.empty();
    }
    ResourceType owner = type.get();
    return lookUp(
        new ObjectPath(
            owner.group(),
            owner.version(),
            owner.plural(),
            owner.namespaced() ? dependentNamespace : null,
            ref.name()));
  }

  private Optional<String> lookUp(ObjectPath owner) {
    Optional<String> cached = liveUids.get(owner);
    if (cached != null) {
      return cached;
    }
    // Not computeIfAbsent: a network call must not block other workers on the map.
    Optional<String> uid =
        api.get(owner)
            .map(live -> live.path("metadata").path("uid").asText(""))
            .filter(value -> !value.isEmpty());
    liveUids.putIfAbsent(owner, uid);
    return uid;
  }
}

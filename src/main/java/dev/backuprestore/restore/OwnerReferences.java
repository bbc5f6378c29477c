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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites each {@code ownerReferences[].uid} to the UID of the live owner, which differs from the
 * archived one whenever the owner was recreated (docs/rancher-compat.md#restore-apply). The owner
 * is found in this run's results when it is in the archive (it was applied in an earlier wave),
 * otherwise in the cluster. A reference to an owner that is in neither is removed and reported
 * (docs/rancher-compat.md#diff-missing-owners); the object is still restored. An object whose
 * archived owner failed to restore fails too: restoring it without its owner would orphan it
 * silently.
 *
 * <p>An owner that an action disregards ({@link RestoreItemAction#disregardsOwner}: Rancher's
 * GlobalRoles and RoleTemplates) is no owner here. When an object has such a reference and no other
 * owner that this phase still applies before it, all its ownerReferences are removed, as Rancher's
 * restore does (docs/rancher-compat.md#owner-references); otherwise they are kept with the live
 * UIDs like any other.
 */
final class OwnerReferences {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerReferences.class);
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
   * Rewrites the item's owner references in place; drops (and reports) those whose owner exists
   * nowhere.
   *
   * @throws OwnerFailedException when an archived owner failed in this run
   */
  void rewrite(RestoreItem item, List<RestoreItemAction> actions, RestoreTally tally) {
    JsonNode references = item.metadata().get("ownerReferences");
    if (!(references instanceof ArrayNode array) || array.isEmpty()) {
      return;
    }
    String namespace = item.path().namespace();
    if (dropsAllReferences(item, array, actions)) {
      LOG.debug("{}: ownerReferences removed (only disregarded owners)", item.describe());
      item.metadata().remove("ownerReferences");
      return;
    }
    for (int i = array.size() - 1; i >= 0; i--) {
      JsonNode reference = array.get(i);
      OwnerRef ref = ownerRef(reference);
      Optional<String> uid = liveUid(ref, namespace);
      if (uid.isPresent()) {
        ((ObjectNode) reference).put("uid", uid.get());
      } else {
        array.remove(i);
        tally.warn(
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

  /**
   * Rancher's rule: an object with a disregarded owner and no other owner still to be applied in
   * its phase (an archived owner of the same scope) loses every reference.
   */
  private boolean dropsAllReferences(
      RestoreItem item, ArrayNode references, List<RestoreItemAction> actions) {
    boolean disregarded = false;
    boolean waitsForOwner = false;
    for (JsonNode reference : references) {
      OwnerRef ref = ownerRef(reference);
      if (actions.stream().anyMatch(action -> action.disregardsOwner(item, ref))) {
        disregarded = true;
      } else {
        waitsForOwner |=
            plan.findOwner(ref, item.path().namespace())
                .filter(owner -> !owner.path().equals(item.path()))
                .filter(owner -> owner.path().isNamespaced() == item.path().isNamespaced())
                .isPresent();
      }
    }
    return disregarded && !waitsForOwner;
  }

  private static OwnerRef ownerRef(JsonNode reference) {
    return new OwnerRef(
        reference.path("apiVersion").asText(""),
        reference.path("kind").asText(""),
        reference.path("name").asText(""));
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

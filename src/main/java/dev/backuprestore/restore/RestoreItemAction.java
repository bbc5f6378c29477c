package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.KubeApiException;
import java.util.Optional;

/**
 * A per-kind tweak of the restore (Velero's restore item action): one class per tweak, registered
 * in a list ({@code actions.DefaultRestoreItemActions}), so the generic code has no {@code switch
 * (kind)}. Actions run in list order on each object before it is written; implementations are
 * stateless and thread-safe (objects are applied in parallel).
 */
public interface RestoreItemAction {

  /** True when {@link #execute} should see this item. */
  boolean appliesTo(RestoreItem item);

  /** Changes the item (in place or as a copy) and returns it, or skips it. */
  ActionResult execute(RestoreItem item);

  /**
   * True when a failure to write this item is expected and harmless: the object counts as skipped,
   * not failed. Only asked of actions that {@link #appliesTo} the item.
   */
  default boolean toleratesFailure(RestoreItem item, KubeApiException failure) {
    return false;
  }

  /**
   * True when this owner reference of the item is no owner for the restore: it does not order the
   * restore, and an object whose every other owner is already in place loses all its owner
   * references (Rancher's rule for GlobalRole and RoleTemplate owners). Only asked of actions that
   * {@link #appliesTo} the item.
   */
  default boolean disregardsOwner(RestoreItem item, OwnerRef owner) {
    return false;
  }

  /**
   * What to write instead when the API server refused this item, or empty to let the refusal stand.
   * Only asked of actions that {@link #appliesTo} the item, in list order; the first fallback is
   * written once, and a refusal of the fallback fails the object.
   */
  default Optional<RefusalFallback> fallbackAfterRefusal(
      RestoreItem item, KubeApiException refusal) {
    return Optional.empty();
  }

  /** True when prune must leave this live object alone although the archive does not hold it. */
  default boolean protectsFromPrune(ObjectPath path, JsonNode liveObject) {
    return false;
  }
}

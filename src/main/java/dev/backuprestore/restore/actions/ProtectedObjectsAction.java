package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.ProtectedObjects;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * The operator's own objects are neither overwritten from the archive nor pruned
 * (docs/rancher-compat.md#diff-prune-protection).
 */
public final class ProtectedObjectsAction implements RestoreItemAction {
  private final ProtectedObjects protectedObjects;

  public ProtectedObjectsAction(ProtectedObjects protectedObjects) {
    this.protectedObjects = protectedObjects;
  }

  @Override
  public boolean appliesTo(RestoreItem item) {
    return protectedObjects.isProtected(item.path(), item.object())
        || (item.live() != null && protectedObjects.isProtected(item.path(), item.live()));
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    return ActionResult.skip("the operator's own object is never overwritten by a restore");
  }

  @Override
  public boolean protectsFromPrune(ObjectPath path, JsonNode liveObject) {
    return protectedObjects.isProtected(path, liveObject);
  }
}

package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Rancher's built-in {@code globalroles} and {@code roletemplates} ({@code builtin: true} or {@code
 * "true"}) belong to the running Rancher version: they are neither restored nor pruned.
 */
public final class BuiltinRancherRolesAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return isRoleType(item.path()) && isBuiltin(item.object());
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    return ActionResult.skip("built-in Rancher role, managed by Rancher itself");
  }

  @Override
  public boolean protectsFromPrune(ObjectPath path, JsonNode liveObject) {
    return isRoleType(path) && isBuiltin(liveObject);
  }

  private static boolean isRoleType(ObjectPath path) {
    return path.group().equals("management.cattle.io")
        && (path.resource().equals("globalroles") || path.resource().equals("roletemplates"));
  }

  private static boolean isBuiltin(JsonNode object) {
    JsonNode builtin = object.path("builtin");
    return builtin.isBoolean() ? builtin.booleanValue() : "true".equals(builtin.asText());
  }
}

package dev.backuprestore.restore.actions;

import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.OwnerRef;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;
import java.util.Locale;
import java.util.Set;

/**
 * Owner references to Rancher's {@code GlobalRole} and {@code RoleTemplate} are no owners for the
 * restore, as in Rancher's: they do not order it, and an object whose other owners are all in place
 * loses its owner references (Rancher's controllers own these role objects again once they run).
 * Like Rancher, the kind alone decides, case-insensitively. See
 * docs/rancher-compat.md#owner-references.
 */
public final class RancherRoleOwnersAction implements RestoreItemAction {
  private static final Set<String> KINDS = Set.of("globalrole", "roletemplate");

  @Override
  public boolean appliesTo(RestoreItem item) {
    for (var reference : item.metadata().path("ownerReferences")) {
      if (KINDS.contains(reference.path("kind").asText("").toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    return ActionResult.apply(item);
  }

  @Override
  public boolean disregardsOwner(RestoreItem item, OwnerRef owner) {
    return KINDS.contains(owner.kind().toLowerCase(Locale.ROOT));
  }
}

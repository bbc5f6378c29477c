package dev.backuprestore.restore.actions;

import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Rancher's own Deployments in {@code cattle-system} (names ending in {@code rancher} or {@code
 * rancher-webhook}) are not restored: the Rancher install being restored into owns them, and an
 * archived copy would roll it back to the old image and settings.
 */
public final class SkipRancherDeploymentsAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    String name = item.path().name();
    return item.is("apps", "deployments")
        && "cattle-system".equals(item.path().namespace())
        && (name.endsWith("rancher") || name.endsWith("rancher-webhook"));
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    return ActionResult.skip("Rancher's own deployment is managed by the Rancher install");
  }
}

package dev.backuprestore.restore.actions;

import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Fleet {@code clusters.fleet.cattle.io/v1alpha1}: {@code spec.redeployAgentGeneration} + 1, so
 * Fleet redeploys its agent with credentials valid for the restored state.
 */
public final class FleetClusterRedeployAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("fleet.cattle.io", "clusters") && "v1alpha1".equals(item.path().version());
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    Generations.increment(item, "redeployAgentGeneration");
    return ActionResult.apply(item);
  }
}

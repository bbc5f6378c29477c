package dev.backuprestore.restore.actions;

import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Rancher {@code clusters.provisioning.cattle.io/v1}: {@code spec.redeploySystemAgentGeneration} +
 * 1, so the system agents are redeployed against the restored Rancher.
 */
public final class ProvisioningClusterRedeployAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("provisioning.cattle.io", "clusters") && "v1".equals(item.path().version());
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    Generations.increment(item, "redeploySystemAgentGeneration");
    return ActionResult.apply(item);
  }
}

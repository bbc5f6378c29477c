package dev.backuprestore.restore.actions;

import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Fleet's cluster registration values Secrets are not restored (a Rancher hotfix): Fleet
 * regenerates them, and an old copy would register agents with stale credentials.
 */
public final class SkipFleetRegistrationSecretsAction implements RestoreItemAction {
  static final String TYPE = "fleet.cattle.io/cluster-registration-values";

  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("", "secrets") && TYPE.equals(item.object().path("type").asText(""));
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    return ActionResult.skip("Fleet regenerates " + TYPE + " Secrets");
  }
}

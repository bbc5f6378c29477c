package dev.backuprestore.restore.actions;

import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Rancher's webhook refuses changes to some {@code settings.management.cattle.io} (read-only or
 * environment-provided ones); such a denial is expected and not a restore failure
 * (rancher/rancher#48832).
 */
public final class SettingsWebhookDenialAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("management.cattle.io", "settings");
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    return ActionResult.apply(item);
  }

  @Override
  public boolean toleratesFailure(RestoreItem item, KubeApiException failure) {
    String message = String.valueOf(failure.getMessage());
    return message.contains("admission webhook")
        && message.contains("rancher.cattle.io.settings")
        && message.contains("denied the request");
  }
}

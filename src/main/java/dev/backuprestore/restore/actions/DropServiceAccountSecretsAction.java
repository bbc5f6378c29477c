package dev.backuprestore.restore.actions;

import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * ServiceAccounts are restored without their top-level {@code secrets} list: it names token Secrets
 * of the old cluster, which the token controller would otherwise keep or recreate wrongly.
 */
public final class DropServiceAccountSecretsAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("", "serviceaccounts");
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    item.object().remove("secrets");
    return ActionResult.apply(item);
  }
}

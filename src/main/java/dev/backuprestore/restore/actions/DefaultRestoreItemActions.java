package dev.backuprestore.restore.actions;

import dev.backuprestore.restore.RestoreItemAction;
import java.util.List;

/** The built-in actions, in the order they run on each object. */
public final class DefaultRestoreItemActions {
  private DefaultRestoreItemActions() {}

  public static List<RestoreItemAction> all() {
    return List.of(
        // Skips first: nothing else needs to look at an object that is not restored.
        new SkipRancherDeploymentsAction(),
        new SkipFleetRegistrationSecretsAction(),
        new BuiltinRancherRolesAction(),
        // CRD fixes (contract §4.5).
        new CrdLiveVersionsAction(),
        new CrdPreserveUnknownFieldsAction(),
        // Rancher's customizations (§4.6).
        new DropServiceAccountSecretsAction(),
        new ServiceClusterIpAction(),
        new FleetClusterRedeployAction(),
        new ProvisioningClusterRedeployAction(),
        new ManagementClusterForceDeployAction(),
        new SettingsWebhookDenialAction());
  }
}

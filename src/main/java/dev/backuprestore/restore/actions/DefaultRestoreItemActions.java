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
        // CRD fixes (docs/rancher-compat.md#restore-crds).
        new CrdLiveVersionsAction(),
        new CrdPreserveUnknownFieldsAction(),
        // Rancher's customizations (docs/rancher-compat.md#rancher-tweaks).
        new DropServiceAccountSecretsAction(),
        new ServiceClusterIpAction(),
        new RancherRoleOwnersAction(),
        new FleetClusterRedeployAction(),
        new ProvisioningClusterRedeployAction(),
        new ManagementClusterForceDeployAction(),
        new SettingsWebhookDenialAction());
  }
}

package dev.backuprestore.restore.actions;

import static dev.backuprestore.restore.actions.ActionTesting.item;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.ProtectedObjects;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class RancherActionsTest {

  @Test
  void skipsRancherDeploymentsInCattleSystemOnly() {
    RestoreItemAction action = new SkipRancherDeploymentsAction();
    String rancher = "{\"metadata\":{\"name\":\"rancher\"}}";
    String webhook = "{\"metadata\":{\"name\":\"rancher-webhook\"}}";
    String mine = "{\"metadata\":{\"name\":\"my-rancher\"}}";
    String other = "{\"metadata\":{\"name\":\"fleet-agent\"}}";

    assertThat(action.appliesTo(item("apps", "v1", "deployments", "cattle-system", rancher)))
        .isTrue();
    assertThat(action.appliesTo(item("apps", "v1", "deployments", "cattle-system", webhook)))
        .isTrue();
    assertThat(action.appliesTo(item("apps", "v1", "deployments", "cattle-system", mine))).isTrue();
    assertThat(action.appliesTo(item("apps", "v1", "deployments", "cattle-system", other)))
        .isFalse();
    assertThat(action.appliesTo(item("apps", "v1", "deployments", "default", rancher))).isFalse();
    assertThat(action.appliesTo(item("apps", "v1", "statefulsets", "cattle-system", rancher)))
        .isFalse();
    assertThat(action.execute(item("apps", "v1", "deployments", "cattle-system", rancher)).isSkip())
        .isTrue();
  }

  @Test
  void skipsFleetRegistrationSecrets() {
    RestoreItemAction action = new SkipFleetRegistrationSecretsAction();
    RestoreItem registration =
        item(
            "",
            "v1",
            "secrets",
            "fleet-default",
            "{\"type\":\"fleet.cattle.io/cluster-registration-values\",\"metadata\":{\"name\":\"r\"}}");
    RestoreItem opaque =
        item("", "v1", "secrets", "fleet-default", "{\"type\":\"Opaque\",\"metadata\":{}}");

    assertThat(action.appliesTo(registration)).isTrue();
    assertThat(action.execute(registration).isSkip()).isTrue();
    assertThat(action.appliesTo(opaque)).isFalse();
  }

  @Test
  void dropsServiceAccountSecrets() {
    RestoreItemAction action = new DropServiceAccountSecretsAction();
    RestoreItem account =
        item(
            "",
            "v1",
            "serviceaccounts",
            "a",
            "{\"metadata\":{\"name\":\"sa\"},\"secrets\":[{\"name\":\"sa-token-x\"}],\"imagePullSecrets\":[{\"name\":\"p\"}]}");

    assertThat(action.appliesTo(account)).isTrue();
    ActionResult result = action.execute(account);

    assertThat(result.item().object().has("secrets")).isFalse();
    assertThat(result.item().object().has("imagePullSecrets")).isTrue();
  }

  @Test
  void bumpsFleetAndProvisioningAgentGenerationsExactly() {
    RestoreItem fleet =
        item(
            "fleet.cattle.io",
            "v1alpha1",
            "clusters",
            "fleet-default",
            "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"redeployAgentGeneration\":9007199254740993}}");
    RestoreItem provisioning =
        item(
            "provisioning.cattle.io",
            "v1",
            "clusters",
            "fleet-default",
            "{\"metadata\":{\"name\":\"c\"},\"spec\":{}}");
    RestoreItem otherVersion =
        item("fleet.cattle.io", "v1beta1", "clusters", "fleet-default", "{\"metadata\":{}}");

    RestoreItemAction fleetAction = new FleetClusterRedeployAction();
    RestoreItemAction provisioningAction = new ProvisioningClusterRedeployAction();
    assertThat(fleetAction.appliesTo(fleet)).isTrue();
    assertThat(fleetAction.appliesTo(otherVersion)).isFalse();
    assertThat(fleetAction.appliesTo(provisioning)).isFalse();
    assertThat(provisioningAction.appliesTo(provisioning)).isTrue();

    fleetAction.execute(fleet);
    provisioningAction.execute(provisioning);

    assertThat(fleet.object().at("/spec/redeployAgentGeneration").asText())
        .isEqualTo("9007199254740994");
    assertThat(provisioning.object().at("/spec/redeploySystemAgentGeneration").asLong())
        .isEqualTo(1);
  }

  @Test
  void forcesManagementClusterAgentDeployEvenWithoutAnnotations() {
    RestoreItemAction action = new ManagementClusterForceDeployAction();
    RestoreItem cluster =
        item("management.cattle.io", "v3", "clusters", null, "{\"metadata\":{\"name\":\"c-1\"}}");

    assertThat(action.appliesTo(cluster)).isTrue();
    action.execute(cluster);

    assertThat(cluster.object().at("/metadata/annotations/io.cattle.agent.force.deploy").asText())
        .isEqualTo("true");
  }

  @Test
  void toleratesOnlyTheSettingsWebhookDenial() {
    RestoreItemAction action = new SettingsWebhookDenialAction();
    RestoreItem setting =
        item(
            "management.cattle.io",
            "v3",
            "settings",
            null,
            "{\"metadata\":{\"name\":\"server-url\"}}");
    KubeApiException denial =
        new KubeApiException(
            "400 BadRequest: admission webhook \"rancher.cattle.io.settings\" denied the request:"
                + " value is read-only",
            400);
    KubeApiException other = new KubeApiException("422 Invalid: bad value", 422);

    assertThat(action.appliesTo(setting)).isTrue();
    assertThat(action.execute(setting).isSkip()).isFalse();
    assertThat(action.toleratesFailure(setting, denial)).isTrue();
    assertThat(action.toleratesFailure(setting, other)).isFalse();
  }

  @Test
  void builtinRolesAreNeitherRestoredNorPruned() {
    RestoreItemAction action = new BuiltinRancherRolesAction();
    RestoreItem builtin =
        item(
            "management.cattle.io",
            "v3",
            "globalroles",
            null,
            "{\"metadata\":{\"name\":\"admin\"},\"builtin\":true}");
    RestoreItem builtinText =
        item(
            "management.cattle.io",
            "v3",
            "roletemplates",
            null,
            "{\"metadata\":{\"name\":\"x\"},\"builtin\":\"true\"}");
    RestoreItem custom =
        item(
            "management.cattle.io",
            "v3",
            "globalroles",
            null,
            "{\"metadata\":{\"name\":\"mine\"},\"builtin\":false}");

    assertThat(action.appliesTo(builtin)).isTrue();
    assertThat(action.appliesTo(builtinText)).isTrue();
    assertThat(action.appliesTo(custom)).isFalse();
    assertThat(action.execute(builtin).isSkip()).isTrue();
    assertThat(action.protectsFromPrune(builtin.path(), builtin.object())).isTrue();
    assertThat(action.protectsFromPrune(custom.path(), custom.object())).isFalse();
  }

  @Test
  void protectedObjectsAreNeitherOverwrittenNorPruned() {
    ProtectedObjects operator =
        ProtectedObjects.operatorObjects(
            "cattle-resources-system", "rancher-backup", List.of("s3-creds"));
    RestoreItemAction action = new ProtectedObjectsAction(operator);
    RestoreItem account =
        item(
            "",
            "v1",
            "serviceaccounts",
            "cattle-resources-system",
            "{\"metadata\":{\"name\":\"rancher-backup\"}}");
    RestoreItem token =
        item(
            "",
            "v1",
            "secrets",
            "cattle-resources-system",
            "{\"type\":\"kubernetes.io/service-account-token\",\"metadata\":{\"name\":\"t\","
                + "\"annotations\":{\"kubernetes.io/service-account.name\":\"rancher-backup\"}}}");
    RestoreItem credentials =
        item(
            "",
            "v1",
            "secrets",
            "cattle-resources-system",
            "{\"metadata\":{\"name\":\"s3-creds\"}}");
    RestoreItem lease =
        item(
            "coordination.k8s.io",
            "v1",
            "leases",
            "cattle-resources-system",
            "{\"metadata\":{\"name\":\"restore-controller\"}}");
    RestoreItem otherSecret =
        item("", "v1", "secrets", "cattle-resources-system", "{\"metadata\":{\"name\":\"other\"}}");
    RestoreItem sameNameElsewhere =
        item(
            "", "v1", "serviceaccounts", "default", "{\"metadata\":{\"name\":\"rancher-backup\"}}");

    for (RestoreItem item : List.of(account, token, credentials, lease)) {
      assertThat(action.appliesTo(item)).as(item.describe()).isTrue();
      assertThat(action.execute(item).isSkip()).isTrue();
      assertThat(action.protectsFromPrune(item.path(), item.object())).isTrue();
    }
    assertThat(action.appliesTo(otherSecret)).isFalse();
    assertThat(action.appliesTo(sameNameElsewhere)).isFalse();
    assertThat(
            action.protectsFromPrune(
                new ObjectPath("", "v1", "secrets", "default", "s3-creds"), null))
        .isFalse();
  }

  @Test
  void theDefaultListHasEveryBuiltInAction() {
    assertThat(DefaultRestoreItemActions.all())
        .extracting(a -> a.getClass().getSimpleName())
        .containsExactlyInAnyOrder(
            "SkipRancherDeploymentsAction",
            "SkipFleetRegistrationSecretsAction",
            "BuiltinRancherRolesAction",
            "CrdLiveVersionsAction",
            "CrdPreserveUnknownFieldsAction",
            "DropServiceAccountSecretsAction",
            "ServiceClusterIpAction",
            "RancherRoleOwnersAction",
            "FleetClusterRedeployAction",
            "ProvisioningClusterRedeployAction",
            "ManagementClusterForceDeployAction",
            "SettingsWebhookDenialAction");
  }
}

package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Rancher {@code clusters.management.cattle.io/v3}: annotation {@code io.cattle.agent.force.deploy:
 * "true"}, so Rancher redeploys the cluster agent.
 */
public final class ManagementClusterForceDeployAction implements RestoreItemAction {
  static final String ANNOTATION = "io.cattle.agent.force.deploy";

  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("management.cattle.io", "clusters") && "v3".equals(item.path().version());
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    JsonNode annotations = item.metadata().get("annotations");
    ObjectNode writable =
        annotations instanceof ObjectNode node ? node : item.metadata().putObject("annotations");
    writable.put(ANNOTATION, "true");
    return ActionResult.apply(item);
  }
}

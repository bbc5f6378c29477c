package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * Services are restored without their allocated cluster IPs (like Velero): the archived address may
 * lie outside the new cluster's service range or belong to another Service there, and the create
 * would be refused. The apiserver allocates a new one on create and keeps the live one on update.
 * Headless Services ({@code clusterIP: None}) keep it: "None" is a choice, not an allocation.
 */
public final class ServiceClusterIpAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("", "services");
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    JsonNode spec = item.object().path("spec");
    if (spec instanceof ObjectNode specNode && !"None".equals(spec.path("clusterIP").asText())) {
      specNode.remove("clusterIP");
      specNode.remove("clusterIPs");
    }
    return ActionResult.apply(item);
  }
}

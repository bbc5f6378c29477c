package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;

/**
 * An {@code apiextensions.k8s.io/v1} object whose spec has {@code preserveUnknownFields} (whatever
 * its value) is applied with {@code preserveUnknownFields: false} and every version's schema
 * replaced by {@code {type: object, x-kubernetes-preserve-unknown-fields: true}}: v1 refuses {@code
 * true}, and this keeps unknown fields as before (Rancher's fix for issue #186; the original schema
 * is lost, as in Rancher).
 */
public final class CrdPreserveUnknownFieldsAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return "apiextensions.k8s.io/v1".equals(item.apiVersion())
        && item.object().path("spec").has("preserveUnknownFields");
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    ObjectNode spec = (ObjectNode) item.object().get("spec");
    spec.put("preserveUnknownFields", false);
    for (JsonNode version : spec.path("versions")) {
      if (version instanceof ObjectNode versionNode) {
        JsonNode schema = versionNode.get("schema");
        ObjectNode schemaNode =
            schema instanceof ObjectNode node ? node : versionNode.putObject("schema");
        schemaNode
            .putObject("openAPIV3Schema")
            .put("type", "object")
            .put("x-kubernetes-preserve-unknown-fields", true);
      }
    }
    return ActionResult.apply(item);
  }
}

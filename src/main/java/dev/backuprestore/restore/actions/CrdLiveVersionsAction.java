package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;
import java.util.HashSet;
import java.util.Set;

/**
 * A CRD is applied with the live CRD's versions that the archived copy lacks added back, with
 * {@code storage: false}. Objects may be stored in those newer versions ({@code
 * status.storedVersions}), and the API server refuses a CRD that drops a stored version (rancher
 * backup-restore-operator issues #916, #924).
 */
public final class CrdLiveVersionsAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("apiextensions.k8s.io", "customresourcedefinitions") && item.live() != null;
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    JsonNode liveVersions = item.live().path("spec").path("versions");
    if (!liveVersions.isArray() || liveVersions.isEmpty()) {
      return ActionResult.apply(item);
    }
    JsonNode spec = item.object().get("spec");
    ObjectNode archivedSpec =
        spec instanceof ObjectNode node ? node : item.object().putObject("spec");
    JsonNode archived = archivedSpec.get("versions");
    ArrayNode versions =
        archived instanceof ArrayNode array ? array : archivedSpec.putArray("versions");
    Set<String> names = new HashSet<>();
    versions.forEach(version -> names.add(version.path("name").asText("")));
    for (JsonNode live : liveVersions) {
      if (live instanceof ObjectNode liveVersion && names.add(live.path("name").asText(""))) {
        versions.add(liveVersion.deepCopy().put("storage", false));
      }
    }
    return ActionResult.apply(item);
  }
}

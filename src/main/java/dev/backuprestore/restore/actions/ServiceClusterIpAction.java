package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.restore.ActionResult;
import dev.backuprestore.restore.RefusalFallback;
import dev.backuprestore.restore.RestoreItem;
import dev.backuprestore.restore.RestoreItemAction;
import java.util.Optional;

/**
 * Services keep their archived {@code spec.clusterIP} and {@code clusterIPs}, as in Rancher's
 * restore: clients and DNS caches that know the address keep working. When the API server refuses
 * the address (outside the target cluster's service range after a migration, taken by another
 * Service, or different from the address of the live Service, which cannot change), the Service is
 * written once more without them and gets a new address (or keeps its live one); a warning names
 * the Service and both addresses. Headless Services ({@code clusterIP: None}) are left alone:
 * "None" is a choice, not an allocation. See docs/rancher-compat.md#services.
 */
public final class ServiceClusterIpAction implements RestoreItemAction {
  @Override
  public boolean appliesTo(RestoreItem item) {
    return item.is("", "services") && pinnedAddress(item.object()) != null;
  }

  @Override
  public ActionResult execute(RestoreItem item) {
    return ActionResult.apply(item);
  }

  @Override
  public Optional<RefusalFallback> fallbackAfterRefusal(
      RestoreItem item, KubeApiException refusal) {
    if (refusal.statusCode() != 422 || !refusal.getMessage().contains("spec.clusterIP")) {
      return Optional.empty();
    }
    String pinned = pinnedAddress(item.object());
    ObjectNode object = item.object().deepCopy();
    ObjectNode spec = (ObjectNode) object.get("spec");
    spec.remove("clusterIP");
    spec.remove("clusterIPs");
    RestoreItem unpinned = new RestoreItem(item.path(), object, item.live());
    return Optional.of(
        new RefusalFallback(
            unpinned,
            written ->
                item.describe()
                    + ": cluster IP "
                    + pinned
                    + " refused by the API server ("
                    + reason(refusal)
                    + "); the Service has the address "
                    + written.path("spec").path("clusterIP").asText("?")
                    + " instead"));
  }

  /** The archived address, or null when there is none to keep (unset, empty or "None"). */
  private static String pinnedAddress(JsonNode object) {
    String address = object.path("spec").path("clusterIP").asText("");
    return address.isEmpty() || "None".equals(address) ? null : address;
  }

  /** The part of the API server's message after the field name, e.g. "provided IP is not ...". */
  private static String reason(KubeApiException refusal) {
    String message = refusal.getMessage();
    int at = message.lastIndexOf(": ");
    return at < 0 ? message : message.substring(at + 2);
  }
}

package dev.backuprestore.restore.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.restore.RestoreItem;

/** Adds one to an integer field of {@code spec}, as Rancher's agent redeploy bumps do. */
final class Generations {
  private Generations() {}

  /**
   * {@code spec.<field> += 1}. Like Go's {@code NestedInt64}, a missing or non-integer value counts
   * as 0, so the result is then 1.
   */
  static void increment(RestoreItem item, String field) {
    JsonNode spec = item.object().get("spec");
    ObjectNode specNode = spec instanceof ObjectNode node ? node : item.object().putObject("spec");
    JsonNode current = specNode.path(field);
    long value = current.isIntegralNumber() && current.canConvertToLong() ? current.longValue() : 0;
    specNode.put(field, value + 1);
  }
}

package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link RestoreItemAction}'s second attempt after the API server refused to write an item: the
 * item to write instead, and the warning that says what was given up, made from the object the API
 * server then returned (for example the address it allocated).
 *
 * @param item the changed item; its {@code live} object is the same as the refused one's
 * @param warning the warning for the restore's summary, given the written object
 */
public record RefusalFallback(RestoreItem item, Function<JsonNode, String> warning) {
  public RefusalFallback {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(warning, "warning");
  }
}

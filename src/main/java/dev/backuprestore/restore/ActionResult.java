package dev.backuprestore.restore;

import java.util.Objects;

/** What a {@link RestoreItemAction} decided: apply the (possibly changed) item, or skip it. */
public final class ActionResult {
  private final RestoreItem item;
  private final String skipReason;

  private ActionResult(RestoreItem item, String skipReason) {
    this.item = item;
    this.skipReason = skipReason;
  }

  /** Go on with this item (the same one or a changed copy). */
  public static ActionResult apply(RestoreItem item) {
    return new ActionResult(Objects.requireNonNull(item, "item"), null);
  }

  /** Do not restore the object; the reason is logged and counted as skipped. */
  public static ActionResult skip(String reason) {
    return new ActionResult(null, Objects.requireNonNull(reason, "reason"));
  }

  public boolean isSkip() {
    return skipReason != null;
  }

  /** The item to go on with; null when skipped. */
  public RestoreItem item() {
    return item;
  }

  public String skipReason() {
    return skipReason;
  }
}

package dev.backuprestore.operator.status;

import dev.backuprestore.api.v1.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one place that owns condition semantics (docs/rancher-compat.md#backup-status,
 * #restore-status, #diff-permanent-errors). It never mutates its input: every method returns a new
 * list, so a caller can compare old and new and skip a no-op patch.
 *
 * <ul>
 *   <li>Success replaces the whole list: {@code Ready=True "Completed"} (and {@code Uploaded=True}
 *       for a Backup).
 *   <li>A transient error: {@code Reconciling=False}, reason {@code Error}, message = the error;
 *       {@code Ready} keeps its status (Unknown when new) with message {@code Retrying}.
 *   <li>A permanent error (ours, docs/rancher-compat.md#diff-permanent-errors): the same, plus
 *       {@code Stalled=True} with the error, and {@code Ready=False} whose message is the error, so
 *       {@code kubectl get} shows it.
 * </ul>
 *
 * {@code lastUpdateTime} changes only when a value of the condition changes and {@code
 * lastTransitionTime} only when its status changes, like wrangler's condition helpers.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String UPLOADED = "Uploaded";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String COMPLETED = "Completed";
  public static final String RETRYING = "Retrying";
  public static final String ERROR_REASON = "Error";

  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  /** Rancher's success list: Ready "Completed", plus Uploaded for a Backup. */
  public List<Condition> completed(List<Condition> existing, boolean uploaded) {
    List<Condition> result = new ArrayList<>();
    result.add(set(find(existing, READY), READY, "True", null, COMPLETED));
    if (uploaded) {
      result.add(set(find(existing, UPLOADED), UPLOADED, "True", null, null));
    }
    return result;
  }

  /** Work has started: Reconciling=True with what is being done. */
  public List<Condition> inProgress(List<Condition> existing, String message) {
    List<Condition> result = copyWithout(existing, RECONCILING, STALLED);
    result.add(set(find(existing, RECONCILING), RECONCILING, "True", "InProgress", message));
    return result;
  }

  /** An error; permanent errors also set Stalled (see the class comment). */
  public List<Condition> failed(List<Condition> existing, String message, boolean permanent) {
    List<Condition> result = copyWithout(existing, READY, RECONCILING, STALLED);
    Condition ready = find(existing, READY);
    if (permanent) {
      result.add(0, set(ready, READY, "False", "Stalled", message));
      result.add(set(find(existing, STALLED), STALLED, "True", ERROR_REASON, message));
    } else {
      String status = ready == null ? "Unknown" : ready.getStatus();
      result.add(0, set(ready, READY, status, ready == null ? null : ready.getReason(), RETRYING));
    }
    result.add(set(find(existing, RECONCILING), RECONCILING, "False", ERROR_REASON, message));
    return result;
  }

  /** The message of a condition, or null. */
  public static String message(List<Condition> conditions, String type) {
    Condition condition = find(conditions, type);
    return condition == null ? null : condition.getMessage();
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /**
   * The condition {@code type} with these values, its times carried over from the one in {@code
   * existing} as the class comment says. For resources with conditions of their own (etcd).
   */
  public Condition set(
      List<Condition> existing, String type, String status, String reason, String message) {
    return set(find(existing, type), type, status, reason, message);
  }

  private Condition set(
      Condition previous, String type, String status, String reason, String message) {
    String now = RFC3339.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    Condition next = new Condition();
    next.setType(type);
    next.setStatus(status);
    next.setReason(reason);
    next.setMessage(message);
    boolean unchanged =
        previous != null
            && Objects.equals(previous.getStatus(), status)
            && Objects.equals(previous.getReason(), reason)
            && Objects.equals(previous.getMessage(), message);
    next.setLastUpdateTime(
        unchanged && previous.getLastUpdateTime() != null ? previous.getLastUpdateTime() : now);
    boolean sameStatus = previous != null && Objects.equals(previous.getStatus(), status);
    next.setLastTransitionTime(
        sameStatus && previous.getLastTransitionTime() != null
            ? previous.getLastTransitionTime()
            : now);
    return next;
  }

  /** A new list of {@code existing} (may be null) without the conditions of these types. */
  public static List<Condition> copyWithout(List<Condition> existing, String... types) {
    List<Condition> result = new ArrayList<>();
    if (existing != null) {
      for (Condition condition : existing) {
        if (!List.of(types).contains(condition.getType())) {
          result.add(condition);
        }
      }
    }
    return result;
  }
}

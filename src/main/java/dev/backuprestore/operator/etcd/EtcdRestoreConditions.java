package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.v1.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An EtcdRestore's conditions: {@code Prepared} (the verdict) with {@code Ready}, {@code
 * Reconciling} and {@code Stalled} in Rancher's shape. Times move only when a condition changes, so
 * a repeated status is a no-op patch.
 */
final class EtcdRestoreConditions {
  static final String PREPARED = "Prepared";
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
  private final Clock clock;

  EtcdRestoreConditions(Clock clock) {
    this.clock = clock;
  }

  List<Condition> inProgress(List<Condition> existing, String message) {
    List<Condition> out = without(existing, PREPARED, "Ready", "Reconciling", "Stalled");
    out.add(set(existing, PREPARED, "Unknown", "InProgress", message));
    out.add(set(existing, "Ready", "False", "InProgress", message));
    out.add(set(existing, "Reconciling", "True", "InProgress", message));
    return out;
  }

  /** The verdict; {@code stalled} when nothing changes until the spec does. */
  List<Condition> finished(
      List<Condition> existing, boolean prepared, String reason, String message, boolean stalled) {
    List<Condition> out = without(existing, PREPARED, "Ready", "Reconciling", "Stalled");
    String status = prepared ? "True" : "False";
    out.add(set(existing, PREPARED, status, reason, message));
    out.add(set(existing, "Ready", status, reason, message));
    out.add(set(existing, "Reconciling", "False", reason, message));
    if (stalled) {
      out.add(set(existing, "Stalled", "True", reason, message));
    }
    return out;
  }

  static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private Condition set(
      List<Condition> existing, String type, String status, String reason, String message) {
    Condition previous = find(existing, type);
    String now = RFC3339.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    Condition next = new Condition(type, status);
    next.setReason(reason);
    next.setMessage(message);
    boolean sameStatus = previous != null && Objects.equals(previous.getStatus(), status);
    boolean unchanged =
        sameStatus
            && Objects.equals(previous.getReason(), reason)
            && Objects.equals(previous.getMessage(), message);
    next.setLastUpdateTime(
        unchanged && previous.getLastUpdateTime() != null ? previous.getLastUpdateTime() : now);
    next.setLastTransitionTime(
        sameStatus && previous.getLastTransitionTime() != null
            ? previous.getLastTransitionTime()
            : now);
    return next;
  }

  private static List<Condition> without(List<Condition> existing, String... types) {
    Set<String> drop = Set.of(types);
    List<Condition> out = new ArrayList<>();
    if (existing != null) {
      existing.stream().filter(c -> !drop.contains(c.getType())).forEach(out::add);
    }
    return out;
  }
}

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

/**
 * Conditions of an EtcdSnapshot in Rancher's shape ({@code Ready}, {@code Reconciling}, {@code
 * Stalled}, {@code Uploaded}) plus {@code Healthy} (the last health check). Times only move when
 * the condition changes, so a repeated status is a no-op patch.
 */
final class EtcdConditions {
  static final String READY = "Ready";
  static final String RECONCILING = "Reconciling";
  static final String STALLED = "Stalled";
  static final String UPLOADED = "Uploaded";
  static final String HEALTHY = "Healthy";

  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
  private final Clock clock;

  EtcdConditions(Clock clock) {
    this.clock = clock;
  }

  List<Condition> inProgress(List<Condition> existing, String message) {
    List<Condition> out = without(existing, RECONCILING, STALLED);
    out.add(set(existing, RECONCILING, "True", "InProgress", message));
    return out;
  }

  List<Condition> healthy(
      List<Condition> existing, boolean healthy, String reason, String message) {
    List<Condition> out = without(existing, HEALTHY);
    out.add(set(existing, HEALTHY, healthy ? "True" : "False", reason, message));
    return out;
  }

  List<Condition> succeeded(List<Condition> existing, String message, boolean uploaded) {
    List<Condition> out = without(existing, READY, RECONCILING, STALLED, UPLOADED);
    out.add(0, set(existing, READY, "True", "Completed", message));
    out.add(set(existing, UPLOADED, uploaded ? "True" : "False", null, null));
    return out;
  }

  /** A run failed; {@code stalled} for a one-time snapshot that will not run again as is. */
  List<Condition> failed(List<Condition> existing, String reason, String message, boolean stalled) {
    List<Condition> out = without(existing, READY, RECONCILING, STALLED);
    out.add(0, set(existing, READY, "False", reason, message));
    out.add(set(existing, RECONCILING, "False", reason, message));
    if (stalled) {
      out.add(set(existing, STALLED, "True", reason, message));
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

  private static List<Condition> without(List<Condition> existing, String... types) {
    List<Condition> out = new ArrayList<>();
    if (existing != null) {
      for (Condition c : existing) {
        if (!List.of(types).contains(c.getType())) {
          out.add(c);
        }
      }
    }
    return out;
  }
}

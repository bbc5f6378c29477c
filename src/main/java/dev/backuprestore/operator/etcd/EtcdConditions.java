package dev.backuprestore.operator.etcd;

import static dev.backuprestore.operator.status.Conditions.copyWithout;

import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.operator.status.Conditions;
import java.time.Clock;
import java.util.List;

/**
 * Conditions of an EtcdSnapshot in Rancher's shape ({@code Ready}, {@code Reconciling}, {@code
 * Stalled}, {@code Uploaded}) plus {@code Healthy} (the last health check). Times follow {@link
 * Conditions}, so a repeated status is a no-op patch.
 */
final class EtcdConditions {
  static final String READY = Conditions.READY;
  static final String RECONCILING = Conditions.RECONCILING;
  static final String STALLED = Conditions.STALLED;
  static final String UPLOADED = Conditions.UPLOADED;
  static final String HEALTHY = "Healthy";

  private final Conditions conditions;

  EtcdConditions(Clock clock) {
    this.conditions = new Conditions(clock);
  }

  List<Condition> inProgress(List<Condition> existing, String message) {
    List<Condition> out = copyWithout(existing, RECONCILING, STALLED);
    out.add(conditions.set(existing, RECONCILING, "True", "InProgress", message));
    return out;
  }

  List<Condition> healthy(
      List<Condition> existing, boolean healthy, String reason, String message) {
    List<Condition> out = copyWithout(existing, HEALTHY);
    out.add(conditions.set(existing, HEALTHY, healthy ? "True" : "False", reason, message));
    return out;
  }

  List<Condition> succeeded(List<Condition> existing, String message, boolean uploaded) {
    List<Condition> out = copyWithout(existing, READY, RECONCILING, STALLED, UPLOADED);
    out.add(0, conditions.set(existing, READY, "True", "Completed", message));
    out.add(conditions.set(existing, UPLOADED, uploaded ? "True" : "False", null, null));
    return out;
  }

  /** A run failed; {@code stalled} for a one-time snapshot that will not run again as is. */
  List<Condition> failed(List<Condition> existing, String reason, String message, boolean stalled) {
    List<Condition> out = copyWithout(existing, READY, RECONCILING, STALLED);
    out.add(0, conditions.set(existing, READY, "False", reason, message));
    out.add(conditions.set(existing, RECONCILING, "False", reason, message));
    if (stalled) {
      out.add(conditions.set(existing, STALLED, "True", reason, message));
    }
    return out;
  }

  static Condition find(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type);
  }
}

package dev.backuprestore.operator.etcd;

import static dev.backuprestore.operator.status.Conditions.READY;
import static dev.backuprestore.operator.status.Conditions.RECONCILING;
import static dev.backuprestore.operator.status.Conditions.STALLED;
import static dev.backuprestore.operator.status.Conditions.copyWithout;

import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.operator.status.Conditions;
import java.time.Clock;
import java.util.List;

/**
 * An EtcdRestore's conditions: {@code Prepared} (the verdict) with {@code Ready}, {@code
 * Reconciling} and {@code Stalled} in Rancher's shape. Times follow {@link Conditions}, so a
 * repeated status is a no-op patch.
 */
final class EtcdRestoreConditions {
  static final String PREPARED = "Prepared";
  private final Conditions conditions;

  EtcdRestoreConditions(Clock clock) {
    this.conditions = new Conditions(clock);
  }

  List<Condition> inProgress(List<Condition> existing, String message) {
    List<Condition> out = copyWithout(existing, PREPARED, READY, RECONCILING, STALLED);
    out.add(conditions.set(existing, PREPARED, "Unknown", "InProgress", message));
    out.add(conditions.set(existing, READY, "False", "InProgress", message));
    out.add(conditions.set(existing, RECONCILING, "True", "InProgress", message));
    return out;
  }

  /** The verdict; {@code stalled} when nothing changes until the spec does. */
  List<Condition> finished(
      List<Condition> existing, boolean prepared, String reason, String message, boolean stalled) {
    List<Condition> out = copyWithout(existing, PREPARED, READY, RECONCILING, STALLED);
    String status = prepared ? "True" : "False";
    out.add(conditions.set(existing, PREPARED, status, reason, message));
    out.add(conditions.set(existing, READY, status, reason, message));
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

package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupStatus;
import dev.backuprestore.api.v1.BackupType;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.ConditionedStatus;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import java.util.Objects;

/**
 * The states of docs/controller-lifecycle.md, read from a resource's status: nothing else decides
 * whether a Backup or Restore runs. The status is the only memory, so a restarted operator (or a
 * new leader) reaches the same verdicts.
 */
final class RunStates {
  private RunStates() {}

  /** Completed (forever, like Rancher) or Stalled for the current generation: never run again. */
  static boolean isFinished(Restore restore) {
    return restore.getStatus() != null
        && (restore.getStatus().getRestoreCompletionTs() != null
            || isStalledForGeneration(restore.getStatus(), restore.getMetadata().getGeneration()));
  }

  /** A one-time Backup Completed or Stalled for its current generation: never run again. */
  static boolean isFinishedOneTime(Backup backup) {
    BackupStatus status = backup.getStatus();
    return status != null
        && !backup.getSpec().isRecurring()
        && status.getBackupType() == BackupType.ONE_TIME
        && Objects.equals(status.getObservedGeneration(), backup.getMetadata().getGeneration());
  }

  /** The last run failed and will be retried with backoff (not Stalled). */
  static boolean isRetrying(ConditionedStatus status) {
    if (status == null) {
      return false;
    }
    Condition reconciling = Conditions.find(status.getConditions(), Conditions.RECONCILING);
    return reconciling != null
        && "False".equals(reconciling.getStatus())
        && Conditions.ERROR_REASON.equals(reconciling.getReason())
        && Conditions.find(status.getConditions(), Conditions.STALLED) == null;
  }

  /** The status says a run is in progress: after a restart, work this process did not start. */
  static boolean isInProgress(ConditionedStatus status) {
    if (status == null) {
      return false;
    }
    Condition reconciling = Conditions.find(status.getConditions(), Conditions.RECONCILING);
    return reconciling != null && "True".equals(reconciling.getStatus());
  }

  /** The spec changed since the last recorded run (or there was none). */
  static boolean isSpecChanged(ConditionedStatus status, Long generation) {
    return status == null || !Objects.equals(status.getObservedGeneration(), generation);
  }

  private static boolean isStalledForGeneration(ConditionedStatus status, Long generation) {
    Condition stalled = Conditions.find(status.getConditions(), Conditions.STALLED);
    return stalled != null
        && "True".equals(stalled.getStatus())
        && Objects.equals(status.getObservedGeneration(), generation);
  }
}

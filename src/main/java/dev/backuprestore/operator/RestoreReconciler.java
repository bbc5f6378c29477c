package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreStatus;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates Restores (docs/rancher-compat.md#restore-lease, #restore-status): one at a time
 * under the restore Lease, never again once completed. The work is done by the {@link
 * RestoreExecutor}; a pass that has to wait (CRDs becoming Established, the prune grace period) is
 * rescheduled instead of sleeping.
 */
public class RestoreReconciler implements Reconciler<Restore> {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreReconciler.class);

  private final KubernetesClient client;
  private final RestoreExecutor executor;
  private final RestoreLease lease;
  private final StatusWriter statusWriter;
  private final Conditions conditions;
  private final EventRecorder events;
  private final Clock clock;

  public RestoreReconciler(
      KubernetesClient client,
      RestoreExecutor executor,
      RestoreLease lease,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock) {
    this.client = client;
    this.executor = executor;
    this.lease = lease;
    this.statusWriter = statusWriter;
    this.conditions = new Conditions(clock);
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Restore> reconcile(Restore restore, Context<Restore> context) {
    if (restore.isMarkedForDeletion() || isCompleted(restore)) {
      return UpdateControl.noUpdate();
    }
    validate(restore);
    lease.acquire(restore);
    boolean keepLease = false;
    try {
      RestoreStatus status = StatusCopies.copy(restore.getStatus());
      status.setConditions(conditions.inProgress(status.getConditions(), "Restore in progress"));
      Restore current = statusWriter.write(restore, status, Restore::new);

      RestoreOutcome outcome = executor.execute(current);
      if (outcome.isWaiting()) {
        keepLease = true;
        return UpdateControl.<Restore>noUpdate().rescheduleAfter(outcome.retryAfter());
      }
      status.setConditions(conditions.completed(status.getConditions(), false));
      status.setRestoreCompletionTs(BackupReconciler.format(ZonedDateTime.now(clock)));
      status.setObservedGeneration(restore.getMetadata().getGeneration());
      status.setBackupSource(outcome.backupSource());
      status.setSummary(outcome.summary());
      statusWriter.write(current, status, Restore::new);
      events.normal(
          restore,
          "RestoreCompleted",
          "Restored " + restore.getSpec().getBackupFilename() + ": " + outcome.summary());
      LOG.info("Restore {} completed: {}", restore.getMetadata().getName(), outcome.summary());
      return UpdateControl.noUpdate();
    } finally {
      if (!keepLease) {
        lease.release(restore);
      }
    }
  }

  @Override
  public ErrorStatusUpdateControl<Restore> updateErrorStatus(
      Restore restore, Context<Restore> context, Exception error) {
    String message = Failures.message(error);
    boolean permanent = Failures.isPermanent(error);
    LOG.warn(
        "Restore {} failed{}: {}",
        restore.getMetadata().getName(),
        permanent ? " permanently" : "",
        message);
    Restore latest =
        client.resources(Restore.class).withName(restore.getMetadata().getName()).get();
    Restore base = latest == null ? restore : latest;
    RestoreStatus status = StatusCopies.copy(base.getStatus());
    boolean alreadyReported =
        Objects.equals(Conditions.message(status.getConditions(), Conditions.RECONCILING), message);
    status.setConditions(conditions.failed(status.getConditions(), message, permanent));
    statusWriter.write(base, status, Restore::new);
    if (!alreadyReported) {
      events.warning(restore, permanent ? "RestoreStalled" : "RestoreFailed", message);
    }
    ErrorStatusUpdateControl<Restore> control = ErrorStatusUpdateControl.noStatusUpdate();
    return permanent ? control.withNoRetry() : control;
  }

  static boolean isCompleted(Restore restore) {
    return restore.getStatus() != null && restore.getStatus().getRestoreCompletionTs() != null;
  }

  private static void validate(Restore restore) {
    if (restore.getSpec() == null) {
      throw new ValidationException("spec is missing");
    }
    String file = restore.getSpec().getBackupFilename();
    if (file == null || file.isBlank()) {
      throw new ValidationException("spec.backupFilename is empty: name the archive to restore");
    }
    if (file.contains("/") || file.equals("..")) {
      throw new ValidationException(
          "spec.backupFilename "
              + file
              + " must be a file name without folder; set storageLocation.s3.folder for S3");
    }
    BackupValidator.StorageLocations.validate(
        restore.getSpec().getStorageLocation(), "spec.storageLocation");
  }
}

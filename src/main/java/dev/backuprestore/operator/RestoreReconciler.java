package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreStatus;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
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

  private final RestoreExecutor executor;
  private final RestoreLease lease;
  private final StatusWriter statusWriter;
  private final Conditions conditions;
  private final EventRecorder events;
  private final FailureRecorder failures;
  private final StartedRuns startedRuns = new StartedRuns();
  private final Clock clock;
  private final WatchedInputs inputs;
  private final KubernetesClient client;

  public RestoreReconciler(
      KubernetesClient client,
      RestoreExecutor executor,
      RestoreLease lease,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock,
      WatchedInputs inputs) {
    this.client = client;
    this.executor = executor;
    this.lease = lease;
    this.statusWriter = statusWriter;
    this.conditions = new Conditions(clock);
    this.events = events;
    this.failures = new FailureRecorder(client, statusWriter, conditions, events);
    this.clock = clock;
    this.inputs = inputs;
  }

  /** The ResourceSets and Secrets it names (see {@link WatchedInputs}). */
  @Override
  public List<EventSource<?, Restore>> prepareEventSources(EventSourceContext<Restore> context) {
    return inputs.forRestores(context);
  }

  @Override
  public UpdateControl<Restore> reconcile(Restore cached, Context<Restore> context) {
    // The informer's copy can lag behind the status written at the end of the previous pass: a
    // finished restore must never be applied again, so decide on what the API server holds.
    Restore restore =
        client.resources(Restore.class).withName(cached.getMetadata().getName()).get();
    if (restore == null || restore.isMarkedForDeletion() || RunStates.isFinished(restore)) {
      return UpdateControl.noUpdate();
    }
    validate(restore);
    lease.acquire(restore);
    boolean keepLease = false;
    try {
      if (startedRuns.startAndCheckResumed(restore, restore.getStatus())) {
        events.normal(
            restore,
            "RestoreResumed",
            "Found in progress at start-up (the operator stopped during the restore): finishing it");
      }
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
      startedRuns.ended(restore);
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

  /**
   * A failed pass: one that needs the user makes the Restore Stalled for its generation (never run
   * again without a spec edit); a transient one is retried with backoff.
   */
  @Override
  public ErrorStatusUpdateControl<Restore> updateErrorStatus(
      Restore restore, Context<Restore> context, Exception error) {
    FailureRecorder.Failure failure =
        failures.record(restore, error, StatusCopies::copy, Restore::new, status -> {}, false);
    ErrorStatusUpdateControl<Restore> control = ErrorStatusUpdateControl.noStatusUpdate();
    if (failure.needsUserAction()) {
      startedRuns.ended(restore);
      return control.withNoRetry();
    }
    return control;
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

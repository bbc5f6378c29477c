package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupStatus;
import dev.backuprestore.api.v1.BackupType;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.operator.status.StatusWriter;
import dev.backuprestore.schedule.CronSchedule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates Backups (docs/rancher-compat.md#backup-lifecycle): observe, validate, act, record. A
 * one-time Backup runs once per generation; a recurring one runs at once and then on its schedule,
 * its next run kept in {@code status.nextSnapshotAt} so that it survives restarts. The work itself
 * is done by the {@link BackupExecutor}.
 */
public class BackupReconciler implements Reconciler<Backup> {
  private static final Logger LOG = LoggerFactory.getLogger(BackupReconciler.class);

  /** A rescheduled run starts just after its cron time, never a moment before it. */
  private static final long RESCHEDULE_SLACK_MS = 100;

  private final KubernetesClient client;
  private final BackupExecutor executor;
  private final BackupValidator validator;
  private final StatusWriter statusWriter;
  private final Conditions conditions;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final FailureRecorder failures;
  private final StartedRuns startedRuns = new StartedRuns();
  private final Clock clock;
  private final WatchedInputs inputs;

  public BackupReconciler(
      KubernetesClient client,
      BackupExecutor executor,
      StatusWriter statusWriter,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock,
      WatchedInputs inputs) {
    this.client = client;
    this.executor = executor;
    this.validator = new BackupValidator();
    this.statusWriter = statusWriter;
    this.conditions = new Conditions(clock);
    this.events = events;
    this.metrics = metrics;
    this.failures = new FailureRecorder(client, statusWriter, conditions, events);
    this.clock = clock;
    this.inputs = inputs;
  }

  /** The ResourceSets and Secrets it names (see {@link WatchedInputs}). */
  @Override
  public List<EventSource<?, Backup>> prepareEventSources(EventSourceContext<Backup> context) {
    return inputs.forBackups(context);
  }

  @Override
  public UpdateControl<Backup> reconcile(Backup cached, Context<Backup> context) {
    // The informer's copy can lag behind the status this operator wrote at the end of the previous
    // run (written with its own patch, not handed back to the SDK): deciding on it could run a
    // one-time Backup, or a schedule's tick, twice. Decide on what the API server holds.
    Backup backup = client.resources(Backup.class).withName(cached.getMetadata().getName()).get();
    if (backup == null || backup.isMarkedForDeletion() || RunStates.isFinishedOneTime(backup)) {
      return UpdateControl.noUpdate();
    }
    String name = backup.getMetadata().getName();
    BackupStatus status = StatusCopies.copy(backup.getStatus());
    status.setBackupType(
        backup.getSpec().isRecurring() ? BackupType.RECURRING : BackupType.ONE_TIME);

    CronSchedule schedule = validator.validate(backup);

    ZonedDateTime now = ZonedDateTime.now(clock);
    if (schedule != null && isWaitingForNextRun(backup, now)) {
      statusWriter.write(backup, status, Backup::new);
      Duration wait = Duration.between(now, parse(backup.getStatus().getNextSnapshotAt()));
      return UpdateControl.<Backup>noUpdate().rescheduleAfter(wait);
    }
    ResourceSet resourceSet = findResourceSet(backup.getSpec().getResourceSetName());

    if (startedRuns.startAndCheckResumed(backup, backup.getStatus())) {
      events.normal(
          backup,
          "BackupResumed",
          "Found in progress at start-up (the operator stopped during the run): taking it again");
    }
    // Status first, then work: a crash mid-backup leaves a visible trace.
    status.setConditions(conditions.inProgress(status.getConditions(), "Backup in progress"));
    Backup current = statusWriter.write(backup, status, Backup::new);

    metrics.backupAttempted(name);
    long started = System.nanoTime();
    BackupOutcome outcome = executor.execute(current, resourceSet, now);
    metrics.backupSucceeded(name, Duration.ofNanos(System.nanoTime() - started));
    startedRuns.ended(backup);

    ZonedDateTime finished = ZonedDateTime.now(clock);
    status.setConditions(conditions.completed(status.getConditions(), true));
    status.setLastSnapshotTs(format(finished));
    status.setObservedGeneration(backup.getMetadata().getGeneration());
    status.setStorageLocation(outcome.storageLocation());
    status.setFilename(outcome.fileName());
    status.setSummary(outcome.summary());
    ZonedDateTime next = schedule == null ? null : schedule.next(finished);
    status.setNextSnapshotAt(next == null ? null : format(next));
    statusWriter.write(current, status, Backup::new);
    events.normal(
        backup,
        "BackupCompleted",
        "Backup "
            + outcome.fileName()
            + " written to "
            + outcome.storageLocation()
            + ": "
            + outcome.summary());
    LOG.info("Backup {} completed: {} ({})", name, outcome.fileName(), outcome.summary());
    if (next == null) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.<Backup>noUpdate()
        .rescheduleAfter(Duration.between(ZonedDateTime.now(clock), next));
  }

  /**
   * A failed run. A one-time Backup that needs the user is Stalled for its generation and never
   * retried; a transient failure is retried with backoff. A recurring Backup's schedule outlives
   * every failure: the next cron time goes into {@code nextSnapshotAt} and, when the failure needs
   * the user, the run is tried again at that time (transient ones are retried earlier, with
   * backoff, until they succeed).
   */
  @Override
  public ErrorStatusUpdateControl<Backup> updateErrorStatus(
      Backup backup, Context<Backup> context, Exception error) {
    startedRuns.ended(backup);
    boolean recurring = backup.getSpec() != null && backup.getSpec().isRecurring();
    CronSchedule schedule = recurring ? validator.scheduleOrNull(backup) : null;
    ZonedDateTime next = schedule == null ? null : schedule.next(ZonedDateTime.now(clock));
    FailureRecorder.Failure failure =
        failures.record(
            backup,
            error,
            StatusCopies::copy,
            Backup::new,
            status -> {
              status.setBackupType(recurring ? BackupType.RECURRING : BackupType.ONE_TIME);
              if (next != null) {
                status.setNextSnapshotAt(format(next));
              }
            },
            next != null && Failures.needsUserAction(error));
    metrics.backupFailed(backup.getMetadata().getName());
    ErrorStatusUpdateControl<Backup> control = ErrorStatusUpdateControl.noStatusUpdate();
    if (!failure.needsUserAction()) {
      return control;
    }
    control = control.withNoRetry();
    return next == null
        ? control
        : control.rescheduleAfter(
            Duration.between(ZonedDateTime.now(clock), next).plusMillis(RESCHEDULE_SLACK_MS));
  }

  private ResourceSet findResourceSet(String name) {
    ResourceSet resourceSet = client.resources(ResourceSet.class).withName(name).get();
    if (resourceSet == null) {
      // Not permanent: the ResourceSet may be created after the Backup.
      throw new OperatorException("ResourceSet " + name + " not found", false);
    }
    return resourceSet;
  }

  /**
   * A recurring Backup waits for {@code nextSnapshotAt} unless its spec changed since the last run
   * (an edit runs at once) or its last run failed transiently (it is being retried).
   */
  private boolean isWaitingForNextRun(Backup backup, ZonedDateTime now) {
    BackupStatus status = backup.getStatus();
    if (status == null
        || status.getNextSnapshotAt() == null
        || RunStates.isSpecChanged(status, backup.getMetadata().getGeneration())
        || RunStates.isRetrying(status)) {
      return false;
    }
    ZonedDateTime next = parse(status.getNextSnapshotAt());
    return next != null && next.isAfter(now);
  }

  private static ZonedDateTime parse(String timestamp) {
    try {
      return ZonedDateTime.parse(timestamp, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String format(ZonedDateTime time) {
    return time.withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}

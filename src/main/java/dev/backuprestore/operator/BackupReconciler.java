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
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
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

  private final KubernetesClient client;
  private final BackupExecutor executor;
  private final BackupValidator validator;
  private final StatusWriter statusWriter;
  private final Conditions conditions;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;

  public BackupReconciler(
      KubernetesClient client,
      BackupExecutor executor,
      StatusWriter statusWriter,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock) {
    this.client = client;
    this.executor = executor;
    this.validator = new BackupValidator();
    this.statusWriter = statusWriter;
    this.conditions = new Conditions(clock);
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public UpdateControl<Backup> reconcile(Backup backup, Context<Backup> context) {
    if (backup.isMarkedForDeletion() || isCompletedOneTime(backup)) {
      return UpdateControl.noUpdate();
    }
    String name = backup.getMetadata().getName();
    BackupStatus status = StatusCopies.copy(backup.getStatus());
    status.setBackupType(
        backup.getSpec().isRecurring() ? BackupType.RECURRING : BackupType.ONE_TIME);

    CronSchedule schedule = validator.validate(backup);
    ResourceSet resourceSet = findResourceSet(backup.getSpec().getResourceSetName());

    ZonedDateTime now = ZonedDateTime.now(clock);
    if (schedule != null && isWaitingForNextRun(backup, now)) {
      status.setObservedGeneration(backup.getMetadata().getGeneration());
      statusWriter.write(backup, status, Backup::new);
      Duration wait = Duration.between(now, parse(backup.getStatus().getNextSnapshotAt()));
      return UpdateControl.<Backup>noUpdate().rescheduleAfter(wait);
    }

    // Status first, then work: a crash mid-backup leaves a visible trace.
    status.setConditions(conditions.inProgress(status.getConditions(), "Backup in progress"));
    Backup current = statusWriter.write(backup, status, Backup::new);

    metrics.backupAttempted(name);
    long started = System.nanoTime();
    BackupOutcome outcome = executor.execute(current, resourceSet, now);
    metrics.backupSucceeded(name, Duration.ofNanos(System.nanoTime() - started));

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

  @Override
  public ErrorStatusUpdateControl<Backup> updateErrorStatus(
      Backup backup, Context<Backup> context, Exception error) {
    String message = Failures.message(error);
    boolean permanent = Failures.isPermanent(error);
    LOG.warn(
        "Backup {} failed{}: {}",
        backup.getMetadata().getName(),
        permanent ? " permanently" : "",
        message);
    Backup latest = latest(backup);
    BackupStatus status = StatusCopies.copy(latest.getStatus());
    status.setBackupType(
        latest.getSpec().isRecurring() ? BackupType.RECURRING : BackupType.ONE_TIME);
    boolean alreadyReported =
        Objects.equals(Conditions.message(status.getConditions(), Conditions.RECONCILING), message);
    status.setConditions(conditions.failed(status.getConditions(), message, permanent));
    statusWriter.write(latest, status, Backup::new);
    if (!alreadyReported) {
      events.warning(backup, permanent ? "BackupStalled" : "BackupFailed", message);
    }
    metrics.backupFailed(backup.getMetadata().getName());
    ErrorStatusUpdateControl<Backup> control = ErrorStatusUpdateControl.noStatusUpdate();
    return permanent ? control.withNoRetry() : control;
  }

  private Backup latest(Backup backup) {
    Backup latest = client.resources(Backup.class).withName(backup.getMetadata().getName()).get();
    return latest == null ? backup : latest;
  }

  private ResourceSet findResourceSet(String name) {
    ResourceSet resourceSet = client.resources(ResourceSet.class).withName(name).get();
    if (resourceSet == null) {
      // Not permanent: the ResourceSet may be created after the Backup.
      throw new OperatorException("ResourceSet " + name + " not found", false);
    }
    return resourceSet;
  }

  static boolean isCompletedOneTime(Backup backup) {
    BackupStatus status = backup.getStatus();
    return status != null
        && !backup.getSpec().isRecurring()
        && status.getBackupType() == BackupType.ONE_TIME
        && Objects.equals(status.getObservedGeneration(), backup.getMetadata().getGeneration());
  }

  private boolean isWaitingForNextRun(Backup backup, ZonedDateTime now) {
    BackupStatus status = backup.getStatus();
    if (status == null
        || status.getLastSnapshotTs() == null
        || status.getNextSnapshotAt() == null) {
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

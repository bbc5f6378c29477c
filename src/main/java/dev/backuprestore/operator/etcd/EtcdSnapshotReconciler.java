package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFailure;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotSpec;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotStatus;
import dev.backuprestore.etcd.EtcdException;
import dev.backuprestore.etcd.SnapshotNames;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.operator.EventRecorder;
import dev.backuprestore.operator.status.StatusWriter;
import dev.backuprestore.schedule.CronSchedule;
import dev.backuprestore.schedule.InvalidScheduleException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates EtcdSnapshots: observe, validate, act, record. A one-time snapshot runs once per
 * generation; a recurring one runs at once and then on its robfig cron schedule (the next run kept
 * in {@code status.nextSnapshotTime}, so it survives restarts). A run whose health check fails is
 * retried {@code healthRetries} times {@code healthRetryIntervalSeconds} apart by rescheduling,
 * never by sleeping; then it fails with the member and the reason in status and an Event. The work
 * is the {@code etcd} package's, through {@link OperatorModeRunner} and {@link NodeModeRunner}.
 */
public class EtcdSnapshotReconciler implements Reconciler<EtcdSnapshot> {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdSnapshotReconciler.class);
  static final int DEFAULT_RETENTION = 5;
  static final int DEFAULT_TIMEOUT = 300;
  static final int DEFAULT_RETRIES = 4;
  static final int DEFAULT_RETRY_INTERVAL = 15;

  private final KubernetesClient client;
  private final OperatorModeRunner operatorMode;
  private final NodeModeRunner nodeMode;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final EtcdMetrics metrics;
  private final EtcdConditions conditions;
  private final Clock clock;

  EtcdSnapshotReconciler(
      KubernetesClient client,
      OperatorModeRunner operatorMode,
      NodeModeRunner nodeMode,
      StatusWriter statusWriter,
      EventRecorder events,
      EtcdMetrics metrics,
      Clock clock) {
    this.client = client;
    this.operatorMode = operatorMode;
    this.nodeMode = nodeMode;
    this.statusWriter = statusWriter;
    this.events = events;
    this.metrics = metrics;
    this.conditions = new EtcdConditions(clock);
    this.clock = clock;
  }

  @Override
  public UpdateControl<EtcdSnapshot> reconcile(EtcdSnapshot cached, Context<EtcdSnapshot> ctx) {
    // The informer cache can lag behind our own last status patch; a run is decided on the
    // server's copy, so that a finished run is never started again under the same name.
    EtcdSnapshot snapshot =
        client.resources(EtcdSnapshot.class).withName(cached.getMetadata().getName()).get();
    if (snapshot == null || snapshot.isMarkedForDeletion()) {
      return UpdateControl.noUpdate();
    }
    EtcdSnapshotSpec spec = snapshot.getSpec();
    EtcdSnapshotStatus status = copy(snapshot.getStatus());
    long generation = snapshot.getMetadata().getGeneration();
    CronSchedule schedule = validate(snapshot);
    Instant now = clock.instant();

    if (status.getCurrentRun() == null || status.getCurrentRun().isEmpty()) {
      if (schedule == null && Objects.equals(status.getObservedGeneration(), generation)) {
        return UpdateControl.noUpdate(); // a finished one-time snapshot
      }
      if (schedule != null && Boolean.TRUE.equals(spec.getSuspend())) {
        status.setObservedGeneration(generation);
        statusWriter.write(snapshot, status, EtcdSnapshot::new);
        return UpdateControl.noUpdate();
      }
      Instant next = parse(status.getNextSnapshotTime());
      boolean sameGeneration = Objects.equals(status.getObservedGeneration(), generation);
      if (schedule != null && next != null && next.isAfter(now) && sameGeneration) {
        return UpdateControl.<EtcdSnapshot>noUpdate().rescheduleAfter(Duration.between(now, next));
      }
      status.setCurrentRun(newName(snapshot, now));
      status.setHealthAttempts(0);
      status.setLastAttemptTime(format(now));
    }
    String name = status.getCurrentRun();
    status.setConditions(
        conditions.inProgress(status.getConditions(), "Snapshot " + name + " in progress"));
    EtcdSnapshot current = statusWriter.write(snapshot, status, EtcdSnapshot::new);

    Duration timeout = Duration.ofSeconds(orDefault(spec.getTimeoutSeconds(), DEFAULT_TIMEOUT));
    int s3Retention = schedule == null ? 0 : orDefault(retention(spec, false), DEFAULT_RETENTION);
    int localRetention = schedule == null ? 0 : orDefault(retention(spec, true), DEFAULT_RETENTION);
    RunStep step;
    long started = System.nanoTime();
    try {
      step =
          EtcdAccessResolver.MODE_OPERATOR.equals(EtcdAccessResolver.mode(snapshot))
              ? operatorMode.run(current, name, s3Retention, timeout)
              : nodeMode.run(current, name, localRetention, s3Retention, timeout);
    } catch (ValidationException e) {
      throw e;
    } catch (EtcdException e) {
      step = new RunStep.Unhealthy(status.getMembers(), "", "SnapshotFailed", e.getMessage());
    } catch (OperatorException e) {
      step = new RunStep.Unhealthy(status.getMembers(), "", "StorageFailed", e.getMessage());
    }
    if (step.members() != null && !step.members().isEmpty()) {
      status.setMembers(step.members());
      metrics.members(step.members());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (step instanceof RunStep.Waiting waiting) {
      status.setConditions(conditions.inProgress(status.getConditions(), waiting.message()));
      statusWriter.write(current, status, EtcdSnapshot::new);
      return UpdateControl.<EtcdSnapshot>noUpdate().rescheduleAfter(waiting.delay());
    }
    if (step instanceof RunStep.Unhealthy unhealthy) {
      return retryOrFail(current, status, schedule, unhealthy, seconds);
    }
    if (step instanceof RunStep.Failed failed) {
      return fail(
          current, status, schedule, failed.member(), failed.reason(), failed.message(), seconds);
    }
    return succeed(current, status, schedule, (RunStep.Done) step);
  }

  private UpdateControl<EtcdSnapshot> retryOrFail(
      EtcdSnapshot snapshot,
      EtcdSnapshotStatus status,
      CronSchedule schedule,
      RunStep.Unhealthy step,
      double seconds) {
    int retries = orDefault(snapshot.getSpec().getHealthRetries(), DEFAULT_RETRIES);
    int attempts = orDefault(status.getHealthAttempts(), 0) + 1;
    status.setConditions(
        conditions.healthy(status.getConditions(), false, step.reason(), step.message()));
    if (attempts > retries) {
      return fail(
          snapshot, status, schedule, step.member(), step.reason(), step.message(), seconds);
    }
    int interval =
        orDefault(snapshot.getSpec().getHealthRetryIntervalSeconds(), DEFAULT_RETRY_INTERVAL);
    status.setHealthAttempts(attempts);
    status.setConditions(
        conditions.inProgress(
            status.getConditions(),
            "Attempt "
                + attempts
                + " of "
                + (retries + 1)
                + " failed, retrying in "
                + interval
                + "s: "
                + step.message()));
    statusWriter.write(snapshot, status, EtcdSnapshot::new);
    events.warning(snapshot, "EtcdUnhealthy", step.message());
    return UpdateControl.<EtcdSnapshot>noUpdate().rescheduleAfter(Duration.ofSeconds(interval));
  }

  private UpdateControl<EtcdSnapshot> fail(
      EtcdSnapshot snapshot,
      EtcdSnapshotStatus status,
      CronSchedule schedule,
      String member,
      String reason,
      String message,
      double seconds) {
    String name = status.getCurrentRun();
    EtcdSnapshotFailure failure = new EtcdSnapshotFailure();
    failure.setTime(format(clock.instant()));
    failure.setMember(member == null || member.isEmpty() ? null : member);
    failure.setReason(reason);
    failure.setMessage(message);
    status.setLastFailure(failure);
    status.setCurrentRun(""); // a merge patch drops nulls: "" clears it
    status.setHealthAttempts(0);
    status.setObservedGeneration(snapshot.getMetadata().getGeneration());
    String text = "Snapshot " + name + " failed: " + message;
    status.setConditions(conditions.failed(status.getConditions(), reason, text, schedule == null));
    Instant next = next(schedule);
    status.setNextSnapshotTime(next == null ? null : format(next));
    statusWriter.write(snapshot, status, EtcdSnapshot::new);
    events.warning(snapshot, "EtcdSnapshotFailed", text);
    metrics.failed(snapshot.getMetadata().getName(), reason, seconds);
    LOG.warn("EtcdSnapshot {}: {}", snapshot.getMetadata().getName(), text);
    return next == null
        ? UpdateControl.noUpdate()
        : UpdateControl.<EtcdSnapshot>noUpdate()
            .rescheduleAfter(Duration.between(clock.instant(), next));
  }

  private UpdateControl<EtcdSnapshot> succeed(
      EtcdSnapshot snapshot, EtcdSnapshotStatus status, CronSchedule schedule, RunStep.Done done) {
    String name = status.getCurrentRun();
    status.setLastSnapshotName(name);
    status.setLastSuccessTime(format(clock.instant()));
    status.setCurrentRun(""); // a merge patch drops nulls: "" clears it
    status.setHealthAttempts(0);
    status.setObservedGeneration(snapshot.getMetadata().getGeneration());
    status.setConditions(
        conditions.healthy(status.getConditions(), true, "Healthy", "all members healthy"));
    status.setConditions(
        conditions.succeeded(status.getConditions(), done.message(), done.uploaded()));
    Instant next = next(schedule);
    status.setNextSnapshotTime(next == null ? null : format(next));
    statusWriter.write(snapshot, status, EtcdSnapshot::new);
    events.normal(snapshot, "EtcdSnapshotCreated", done.message());
    for (SnapshotOutcome copy : done.copies()) {
      metrics.succeeded(
          snapshot.getMetadata().getName(),
          done.seconds(),
          copy.nodeName().isEmpty() ? "operator" : copy.nodeName(),
          copy.localSeconds(),
          copy.s3Seconds(),
          copy.size());
    }
    LOG.info("EtcdSnapshot {}: {}", snapshot.getMetadata().getName(), done.message());
    return next == null
        ? UpdateControl.noUpdate()
        : UpdateControl.<EtcdSnapshot>noUpdate()
            .rescheduleAfter(Duration.between(clock.instant(), next));
  }

  @Override
  public ErrorStatusUpdateControl<EtcdSnapshot> updateErrorStatus(
      EtcdSnapshot snapshot, Context<EtcdSnapshot> context, Exception error) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    boolean permanent = error instanceof OperatorException oe && oe.isPermanent();
    EtcdSnapshot latest =
        client.resources(EtcdSnapshot.class).withName(snapshot.getMetadata().getName()).get();
    EtcdSnapshot base = latest == null ? snapshot : latest;
    EtcdSnapshotStatus status = copy(base.getStatus());
    boolean alreadyReported =
        EtcdConditions.find(status.getConditions(), EtcdConditions.READY) != null
            && Objects.equals(
                EtcdConditions.find(status.getConditions(), EtcdConditions.READY).getMessage(),
                message);
    status.setConditions(
        conditions.failed(
            status.getConditions(), permanent ? "InvalidSpec" : "Error", message, permanent));
    if (permanent) {
      status.setObservedGeneration(base.getMetadata().getGeneration());
      status.setCurrentRun(""); // a merge patch drops nulls: "" clears it
    }
    statusWriter.write(base, status, EtcdSnapshot::new);
    if (!alreadyReported) {
      events.warning(snapshot, permanent ? "EtcdSnapshotStalled" : "EtcdSnapshotFailed", message);
    }
    ErrorStatusUpdateControl<EtcdSnapshot> control = ErrorStatusUpdateControl.noStatusUpdate();
    return permanent ? control.withNoRetry() : control;
  }

  private static CronSchedule validate(EtcdSnapshot snapshot) {
    EtcdSnapshotSpec spec = snapshot.getSpec();
    if (spec.getSnapshotName() != null && !spec.getSnapshotName().isBlank()) {
      if (snapshot.isRecurring()) {
        throw new ValidationException(
            "spec.snapshotName is for one-time snapshots; recurring names are <RFC3339 UTC>_etcd");
      }
      try {
        SnapshotNames.requireValidName(spec.getSnapshotName());
      } catch (IllegalArgumentException e) {
        throw new ValidationException("spec.snapshotName: " + e.getMessage());
      }
    }
    try {
      EtcdAccessResolver.access(snapshot);
      dev.backuprestore.etcd.agent.EtcdPreset.parse(
          EtcdAccessResolver.access(snapshot).getDistribution());
    } catch (IllegalArgumentException e) {
      throw new ValidationException(e.getMessage());
    }
    if (!snapshot.isRecurring()) {
      return null;
    }
    try {
      return CronSchedule.parse(spec.getSchedule());
    } catch (InvalidScheduleException e) {
      throw new ValidationException("spec.schedule: " + e.getMessage());
    }
  }

  private static String newName(EtcdSnapshot snapshot, Instant now) {
    EtcdSnapshotSpec spec = snapshot.getSpec();
    boolean safe = Boolean.TRUE.equals(spec.getSafeTimestamp());
    if (snapshot.isRecurring()) {
      return SnapshotNames.recurring(now, safe);
    }
    if (spec.getSnapshotName() != null && !spec.getSnapshotName().isBlank()) {
      return spec.getSnapshotName();
    }
    return SnapshotNames.oneTime(now, ZoneOffset.UTC, safe);
  }

  private Instant next(CronSchedule schedule) {
    if (schedule == null) {
      return null;
    }
    return schedule.next(ZonedDateTime.now(clock.withZone(ZoneOffset.UTC))).toInstant();
  }

  private static Integer retention(EtcdSnapshotSpec spec, boolean local) {
    if (spec.getRetention() == null) {
      return null;
    }
    return local ? spec.getRetention().getLocal() : spec.getRetention().getS3();
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static EtcdSnapshotStatus copy(EtcdSnapshotStatus status) {
    EtcdSnapshotStatus copy =
        status == null
            ? new EtcdSnapshotStatus()
            : new com.fasterxml.jackson.databind.ObjectMapper()
                .convertValue(status, EtcdSnapshotStatus.class);
    return copy;
  }

  private static Instant parse(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String format(Instant time) {
    return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
  }
}

package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupStatus;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Rancher's metrics (docs/rancher-compat.md#metrics): the same names, types and label names, so
 * that existing dashboards, ServiceMonitors and the chart's BackupFailed alert keep working.
 */
public class OperatorMetrics {
  private final Clock clock;
  private final Counter attempted;
  private final Counter failed;
  private final Histogram duration;
  private final Gauge lastProcessed;
  private final Gauge backupInfo;
  private final Gauge backupCount;
  private final Gauge restoreInfo;
  private final Gauge restoreCount;

  public OperatorMetrics(PrometheusRegistry registry, List<Double> durationBuckets, Clock clock) {
    this.clock = clock;
    attempted =
        Counter.builder()
            .name("rancher_backups_attempted_total")
            .help("Number of backup attempts")
            .labelNames("name")
            .register(registry);
    failed =
        Counter.builder()
            .name("rancher_backups_failed_total")
            .help("Number of failed backup attempts")
            .labelNames("name")
            .register(registry);
    duration =
        Histogram.builder()
            .name("rancher_backup_duration_seconds")
            .help("Duration of each backup attempt")
            .labelNames("name")
            .classicOnly()
            .classicUpperBounds(durationBuckets.stream().mapToDouble(Double::doubleValue).toArray())
            .register(registry);
    lastProcessed =
        Gauge.builder()
            .name("rancher_backup_last_processed_timestamp_seconds")
            .help("Unix time at which the last backup attempt finished")
            .labelNames("name")
            .register(registry);
    backupInfo =
        Gauge.builder()
            .name("rancher_backup_info")
            .help("Details of each Backup custom resource")
            .labelNames(
                "name",
                "status",
                "resourceSetName",
                "retentionCount",
                "backupType",
                "filename",
                "storageLocation",
                "nextSnapshot",
                "lastSnapshot")
            .register(registry);
    backupCount =
        Gauge.builder()
            .name("rancher_backup_count")
            .help("Number of Backup custom resources")
            .register(registry);
    restoreInfo =
        Gauge.builder()
            .name("rancher_restore_info")
            .help("Details of each Restore custom resource")
            .labelNames("name", "status", "fileName", "prune", "storageLocation", "restoreTime")
            .register(registry);
    restoreCount =
        Gauge.builder()
            .name("rancher_restore_count")
            .help("Number of Restore custom resources")
            .register(registry);
  }

  public void backupAttempted(String name) {
    attempted.labelValues(name).inc();
  }

  public void backupSucceeded(String name, Duration took) {
    // Rancher creates the failed series with value 0 on success, and alerts rely on it.
    failed.labelValues(name).inc(0);
    duration.labelValues(name).observe(took.toMillis() / 1000.0);
    lastProcessed.labelValues(name).set(clock.millis() / 1000.0);
  }

  public void backupFailed(String name) {
    failed.labelValues(name).inc();
    lastProcessed.labelValues(name).set(clock.millis() / 1000.0);
  }

  /** Rebuilds the info gauges from the current custom resources (every 60 s, as Rancher). */
  public void refresh(List<Backup> backups, List<Restore> restores) {
    backupInfo.clear();
    for (Backup backup : backups) {
      BackupStatus status = backup.getStatus() == null ? new BackupStatus() : backup.getStatus();
      boolean oneTime = !backup.getSpec().isRecurring();
      String retention =
          backup.getSpec().getRetentionCount() == null
              ? "0"
              : backup.getSpec().getRetentionCount().toString();
      backupInfo
          .labelValues(
              backup.getMetadata().getName(),
              firstMessage(status.getConditions()),
              nz(backup.getSpec().getResourceSetName()),
              retention,
              oneTime ? "One-time" : "Recurring",
              nz(status.getFilename()),
              nz(status.getStorageLocation()),
              oneTime ? "N/A - One-time Backup" : nz(status.getNextSnapshotAt()),
              nz(status.getLastSnapshotTs()))
          .set(1);
    }
    backupCount.set(backups.size());
    restoreInfo.clear();
    for (Restore restore : restores) {
      RestoreStatus status =
          restore.getStatus() == null ? new RestoreStatus() : restore.getStatus();
      restoreInfo
          .labelValues(
              restore.getMetadata().getName(),
              firstMessage(status.getConditions()),
              nz(restore.getSpec().getBackupFilename()),
              Boolean.toString(restore.getSpec().isPruneEffective()),
              nz(status.getBackupSource()),
              nz(status.getRestoreCompletionTs()))
          .set(1);
    }
    restoreCount.set(restores.size());
  }

  private static String firstMessage(List<dev.backuprestore.api.v1.Condition> conditions) {
    if (conditions == null || conditions.isEmpty() || conditions.get(0).getMessage() == null) {
      return "";
    }
    return conditions.get(0).getMessage();
  }

  private static String nz(String value) {
    return value == null ? "" : value;
  }
}

package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdMemberStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;

/** etcd snapshot metrics (modelled on K3s's, with the project's {@code bro_} prefix). */
final class EtcdMetrics {
  private static final double[] BUCKETS = {0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200};
  private final Clock clock;
  private final Histogram save;
  private final Histogram saveLocal;
  private final Histogram saveS3;
  private final Gauge size;
  private final Gauge lastSuccess;
  private final Counter failures;
  private final Gauge memberDbSize;
  private final Gauge memberDbSizeInUse;
  private final Gauge memberHealthy;

  EtcdMetrics(PrometheusRegistry registry, Clock clock) {
    this.clock = clock;
    save = histogram(registry, "bro_etcd_snapshot_save_duration_seconds", "status");
    saveLocal =
        histogram(registry, "bro_etcd_snapshot_save_local_duration_seconds", "status", "node");
    saveS3 = histogram(registry, "bro_etcd_snapshot_save_s3_duration_seconds", "status");
    size =
        Gauge.builder()
            .name("bro_etcd_snapshot_size_bytes")
            .help("Size of the last snapshot zip")
            .labelNames("snapshot")
            .register(registry);
    lastSuccess =
        Gauge.builder()
            .name("bro_etcd_snapshot_last_success_timestamp_seconds")
            .help("Unix time of the last successful snapshot")
            .labelNames("snapshot")
            .register(registry);
    failures =
        Counter.builder()
            .name("bro_etcd_snapshot_failures_total")
            .help("Failed snapshot runs by reason (MemberUnreachable, AlarmActive, ...)")
            .labelNames("snapshot", "reason")
            .register(registry);
    memberDbSize =
        Gauge.builder()
            .name("bro_etcd_member_db_size_bytes")
            .help("Backend size of each etcd member at the last health check")
            .labelNames("member")
            .register(registry);
    memberDbSizeInUse =
        Gauge.builder()
            .name("bro_etcd_member_db_size_in_use_bytes")
            .help("Backend bytes in use of each etcd member at the last health check")
            .labelNames("member")
            .register(registry);
    memberHealthy =
        Gauge.builder()
            .name("bro_etcd_member_healthy")
            .help("1 when the member passed the last health check, else 0")
            .labelNames("member")
            .register(registry);
  }

  private static Histogram histogram(PrometheusRegistry registry, String name, String... labels) {
    return Histogram.builder()
        .name(name)
        .help("Duration of etcd snapshot saves")
        .labelNames(labels)
        .classicOnly()
        .classicUpperBounds(BUCKETS)
        .register(registry);
  }

  void members(List<EtcdMemberStatus> members) {
    for (EtcdMemberStatus m : members) {
      String name = m.getName() == null ? m.getId() : m.getName();
      if (m.getDbSize() != null) {
        memberDbSize.labelValues(name).set(m.getDbSize());
      }
      if (m.getDbSizeInUse() != null) {
        memberDbSizeInUse.labelValues(name).set(m.getDbSizeInUse());
      }
      memberHealthy.labelValues(name).set(Boolean.TRUE.equals(m.getHealthy()) ? 1 : 0);
    }
  }

  void succeeded(
      String snapshot,
      double seconds,
      String node,
      double localSeconds,
      double s3Seconds,
      long bytes) {
    save.labelValues("success").observe(seconds);
    saveLocal.labelValues("success", node).observe(localSeconds);
    if (s3Seconds > 0) {
      saveS3.labelValues("success").observe(s3Seconds);
    }
    size.labelValues(snapshot).set(bytes);
    lastSuccess.labelValues(snapshot).set(clock.millis() / 1000.0);
  }

  void failed(String snapshot, String reason, double seconds) {
    save.labelValues("failure").observe(seconds);
    failures.labelValues(snapshot, reason == null ? "Unknown" : reason).inc();
  }
}

package dev.backuprestore.operator.etcd;

import dev.backuprestore.operator.EventRecorder;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * Builds the EtcdSnapshot reconciler. Off unless {@code ETCD_SNAPSHOTS_ENABLED=true} (the chart's
 * {@code etcdSnapshots.enabled}), since its CRDs and RBAC are optional; {@code OPERATOR_IMAGE} is
 * the image the node agent Jobs run.
 */
public final class EtcdSnapshotWiring {
  private EtcdSnapshotWiring() {}

  public static boolean enabled(Map<String, String> env) {
    return Boolean.parseBoolean(env.getOrDefault("ETCD_SNAPSHOTS_ENABLED", "false"));
  }

  public static EtcdSnapshotReconciler reconciler(
      KubernetesClient client,
      Map<String, String> env,
      String operatorNamespace,
      boolean devMode,
      StatusWriter statusWriter,
      EventRecorder events,
      PrometheusRegistry registry,
      Clock clock,
      String operatorVersion) {
    EtcdAccessResolver access = new EtcdAccessResolver(client, operatorNamespace, devMode);
    EtcdSnapshotFiles files = new EtcdSnapshotFiles(client);
    String image =
        env.getOrDefault(
            "OPERATOR_IMAGE", "ghcr.io/backup-restore-operator/backup-restore-operator:latest");
    return new EtcdSnapshotReconciler(
        client,
        new OperatorModeRunner(access, files, clock, operatorVersion),
        new NodeModeRunner(
            client,
            access,
            files,
            operatorNamespace,
            image,
            env.getOrDefault("ETCD_DEFAULT_DISTRIBUTION", "kubeadm")),
        statusWriter,
        events,
        new EtcdMetrics(registry, clock),
        clock);
  }
}

package dev.backuprestore.operator.etcd;

import dev.backuprestore.operator.EventRecorder;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;

/**
 * Builds the EtcdRestore (prepare) reconciler; on with the etcd snapshots ({@code
 * ETCD_SNAPSHOTS_ENABLED}), whose CRDs, RBAC and {@code OPERATOR_IMAGE} it shares.
 */
public final class EtcdRestoreWiring {
  private EtcdRestoreWiring() {}

  public static EtcdRestoreReconciler reconciler(
      KubernetesClient client,
      Map<String, String> env,
      String operatorNamespace,
      boolean devMode,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock) {
    String image =
        env.getOrDefault(
            "OPERATOR_IMAGE", "ghcr.io/backup-restore-operator/backup-restore-operator:latest");
    return new EtcdRestoreReconciler(
        client,
        new PrepareSnapshotResolver(
            client,
            operatorNamespace,
            devMode,
            env.getOrDefault("ETCD_DEFAULT_DISTRIBUTION", "kubeadm")),
        new PrepareJobRunner(client, operatorNamespace, image),
        statusWriter,
        events,
        clock);
  }
}

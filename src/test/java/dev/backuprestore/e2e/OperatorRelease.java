package dev.backuprestore.e2e;

import static dev.backuprestore.e2e.RealNode.phase;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's Helm release on the real node, shared by the tier's test classes: both charts
 * installed once per run (whichever class comes first), upgrades with {@code --reuse-values}, and
 * the Pods of the chart's Deployment. Each class asks for the image tag that is running instead of
 * assuming one, so the classes do not depend on each other's order.
 */
final class OperatorRelease {
  static final String NAMESPACE = "cattle-resources-system";
  static final String RELEASE = "backup-restore-operator";
  static final String VOLUME = "bro-e2e-backups";

  /** The Lease the replicas elect their leader with (OperatorConfig.LEADER_LEASE). */
  static final String LEADER_LEASE = "backup-restore-operator-leader";

  static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final String CHART = "charts/backup-restore-operator";

  private final RealNode node;
  private final KubernetesClient client;

  OperatorRelease(RealNode node, KubernetesClient client) {
    this.node = node;
    this.client = client;
  }

  /**
   * Installs the CRD chart and the operator chart (the image from the Dockerfile, its first tag,
   * the chart's volume bound to a hostPath PersistentVolume) unless this run installed them
   * already.
   *
   * @return whether it installed them now
   */
  boolean install() {
    if (node.tryHelm("status", RELEASE, "-n", NAMESPACE).ok()) {
      return false;
    }
    phase(
        "helm install (CRD chart, operator chart with a hostPath volume)",
        () -> {
          node.helm(
              "install",
              "backup-restore-operator-crd",
              "charts/backup-restore-operator-crd",
              "-n",
              NAMESPACE,
              "--create-namespace",
              "--wait",
              "--timeout=5m");
          node.apply(
              """
              apiVersion: v1
              kind: PersistentVolume
              metadata: {name: %s}
              spec:
                capacity: {storage: 2Gi}
                accessModes: [ReadWriteOnce]
                persistentVolumeReclaimPolicy: Retain
                storageClassName: ""
                hostPath: {path: %s, type: Directory}
              """
                  .formatted(VOLUME, node.backupDirectory()));
          node.helm(
              "install",
              RELEASE,
              CHART,
              "-n",
              NAMESPACE,
              "--set",
              "image.repository=" + node.operatorImageRepository(),
              "--set",
              "image.tag=" + node.operatorImageTags().get(0),
              "--set",
              "imagePullPolicy=Never",
              "--set",
              "persistence.enabled=true",
              "--set",
              "persistence.volumeName=" + VOLUME,
              "--wait",
              "--timeout=5m");
        });
    return true;
  }

  /** {@code helm upgrade --reuse-values} with each {@code key=value}; with {@code wait}, --wait. */
  void upgrade(boolean wait, String... values) {
    List<String> args = new ArrayList<>(List.of("upgrade", RELEASE, CHART, "-n", NAMESPACE));
    args.add("--reuse-values");
    for (String value : values) {
      args.addAll(List.of("--set", value));
    }
    if (wait) {
      args.addAll(List.of("--wait", "--timeout=5m"));
    }
    node.helm(args.toArray(String[]::new));
  }

  void upgradeToTag(String tag, boolean wait) {
    upgrade(wait, "image.tag=" + tag);
  }

  /** The image tag the Deployment runs now. */
  String currentTag() {
    String image = deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    return image.substring(image.lastIndexOf(':') + 1);
  }

  /**
   * Waits until every Pod of the operator Deployment (as many as it has replicas) is Ready, runs
   * {@code tag} and is none of {@code previous}, and no other Pod of it is left; returns them.
   */
  List<Pod> awaitPods(String tag, Set<String> previous) {
    String image = node.operatorImageRepository() + ":" + tag;
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              List<Pod> pods = pods();
              boolean allNew =
                  pods.size() == deployment().getSpec().getReplicas()
                      && pods.stream()
                          .allMatch(
                              pod ->
                                  isReady(pod)
                                      && pod.getMetadata().getDeletionTimestamp() == null
                                      && !previous.contains(pod.getMetadata().getName())
                                      && image.equals(
                                          pod.getSpec().getContainers().get(0).getImage()));
              return allNew ? pods : null;
            },
            pods -> pods != null);
  }

  /** Every Pod of the current tag Ready, whatever Pods ran before. */
  List<Pod> awaitPods() {
    return awaitPods(currentTag(), Set.of());
  }

  List<Pod> pods() {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabels(deployment().getSpec().getSelector().getMatchLabels())
        .list()
        .getItems();
  }

  /** The logs of every current operator Pod (with leader election only one of them works). */
  String logs() {
    return pods().stream()
        .map(pod -> node.kubectl("logs", "-n", NAMESPACE, pod.getMetadata().getName()))
        .collect(Collectors.joining("\n"));
  }

  /** The holder of the leader Lease (a Pod name: the chart gives each replica its own), or null. */
  String leader() {
    Lease lease = client.leases().inNamespace(NAMESPACE).withName(LEADER_LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private Deployment deployment() {
    return client.apps().deployments().inNamespace(NAMESPACE).withName(RELEASE).get();
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static Set<String> names(List<Pod> pods) {
    return pods.stream().map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet());
  }
}

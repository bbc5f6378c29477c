package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.operator.OperatorRuntime;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the kubelet, which the test apiserver does not have: runs the operator in-process
 * the way the installed Deployment describes its pod. The environment and the arguments are the
 * container's, the identity is the pod's ServiceAccount (impersonated, so the chart's RBAC
 * applies), and the volume mounted at /var/lib/backups is the hostPath directory of the
 * PersistentVolume bound to the pod's claim. That last mount is modelled: the in-process operator
 * cannot see a directory at /var/lib/backups, so it gets the volume's directory as its default
 * local location (the dev-mode directory, which it uses exactly as the mounted PV).
 */
final class ChartPod {
  private ChartPod() {}

  /** Starts the operator of this Deployment; the caller closes it. */
  static OperatorRuntime start(LocalControlPlane plane, String namespace, String deployment) {
    KubernetesClient admin = plane.client();
    Deployment installed =
        admin.apps().deployments().inNamespace(namespace).withName(deployment).get();
    assertThat(installed).as("Deployment %s/%s", namespace, deployment).isNotNull();
    PodSpec pod = installed.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValueFrom() != null
          && variable.getValueFrom().getFieldRef() != null
          && "metadata.name".equals(variable.getValueFrom().getFieldRef().getFieldPath())) {
        // The downward API: the pod's own name (the leader Lease's holder identity).
        env.put(variable.getName(), deployment + "-chart-pod");
        continue;
      }
      assertThat(variable.getValueFrom()).as("env %s from a source", variable.getName()).isNull();
      env.put(variable.getName(), variable.getValue());
    }
    List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
    OperatorConfig config = OperatorConfig.from(env, args.toArray(String[]::new));
    if (config.defaultPersistenceEnabled()) {
      Path volume = mountedVolume(admin, namespace, pod, container);
      config =
          new OperatorConfig(
              config.chartNamespace(),
              false,
              config.defaultS3SecretName(),
              config.metricsEnabled(),
              config.backupDurationBuckets(),
              true,
              null,
              config.logLevel(),
              false,
              volume,
              config.restoreWorkers(),
              config.leaderElection(),
              config.metricsPort(),
              config.healthPort(),
              config.identity());
    }
    // Free ports: the test JVM runs other operators beside this one.
    config = config.withPorts(0, 0);
    String serviceAccount =
        "system:serviceaccount:" + namespace + ":" + pod.getServiceAccountName();
    KubernetesClient asPod =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(plane.adminConfig())
                    .withImpersonateUsername(serviceAccount)
                    .withImpersonateGroups(
                        "system:serviceaccounts", "system:serviceaccounts:" + namespace)
                    .build())
            .build();
    return OperatorRuntime.start(config, asPod, 0);
  }

  /** The hostPath of the PersistentVolume bound to the claim mounted at /var/lib/backups. */
  private static Path mountedVolume(
      KubernetesClient admin, String namespace, PodSpec pod, Container container) {
    String volumeName =
        container.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(OperatorConfig.DEFAULT_BACKUP_MOUNT.toString()))
            .map(VolumeMount::getName)
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing is mounted at /var/lib/backups"));
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(volumeName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume " + volumeName));
    String claimName = volume.getPersistentVolumeClaim().getClaimName();
    PersistentVolumeClaim claim =
        admin.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    assertThat(claim).as("claim %s", claimName).isNotNull();
    assertThat(claim.getStatus().getPhase()).as("phase of claim %s", claimName).isEqualTo("Bound");
    PersistentVolume bound =
        admin.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
    assertThat(bound.getSpec().getHostPath())
        .as("hostPath of %s", bound.getMetadata().getName())
        .isNotNull();
    return Path.of(bound.getSpec().getHostPath().getPath());
  }
}

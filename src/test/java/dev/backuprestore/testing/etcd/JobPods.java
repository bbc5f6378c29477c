package dev.backuprestore.testing.etcd;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stands in for the Job controller and the kubelet, which the test control plane does not have: a
 * Job's pod, created from its template, whose only container has terminated with the given exit
 * code and termination message, as the operator reads the results of its per-node Jobs.
 */
public final class JobPods {
  private JobPods() {}

  public static Pod terminated(KubernetesClient client, Job job, int exitCode, String message) {
    String namespace = job.getMetadata().getNamespace();
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(job.getMetadata().getName() + "-pod")
                    .addToLabels("job-name", job.getMetadata().getName())
                    .endMetadata()
                    .withSpec(job.getSpec().getTemplate().getSpec())
                    .build())
            .create();
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
            .addNewContainerStatus()
            .withName(container.getName())
            .withImage(container.getImage())
            .withImageID("")
            .withReady(false)
            .withRestartCount(0)
            .withNewState()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withMessage(message)
            .withReason(exitCode == 0 ? "Completed" : "Error")
            .endTerminated()
            .endState()
            .endContainerStatus()
            .build());
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }
}

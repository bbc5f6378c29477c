package dev.backuprestore.operator.etcd;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The termination message a Job's pod left behind: the agent and prepare Jobs report their result
 * there, since the operator cannot read a node's files.
 */
final class JobTerminationMessage {
  private JobTerminationMessage() {}

  /** The first terminated container's message (trimmed) among the Job's pods, or null. */
  static String of(KubernetesClient client, String namespace, Job job) {
    var pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel("job-name", job.getMetadata().getName())
            .list()
            .getItems();
    for (Pod pod : pods) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
        var terminated = container.getState() == null ? null : container.getState().getTerminated();
        if (terminated != null && terminated.getMessage() != null) {
          return terminated.getMessage().trim();
        }
      }
    }
    return null;
  }
}

package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdRestore;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.etcd.restore.PrepareJobs;
import dev.backuprestore.etcd.restore.PrepareResult;
import dev.backuprestore.etcd.restore.PreparedCheck;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an EtcdRestore's prepare step: one {@link PrepareJobs} Job per etcd node, created once per
 * generation (a restarted operator finds them by name), each node's {@link PrepareResult} read from
 * its pod's termination message, and the verdict from {@link PreparedCheck}.
 */
final class PrepareJobRunner {
  static final int DEFAULT_TIMEOUT = 600;
  private final KubernetesClient client;
  private final String namespace;
  private final String image;

  /** Either still waiting for some nodes, or every node's result checked. */
  sealed interface Step permits Waiting, Finished {}

  record Waiting(List<String> nodes) implements Step {}

  record Finished(PreparedCheck.Verdict verdict) implements Step {}

  PrepareJobRunner(KubernetesClient client, String namespace, String image) {
    this.client = client;
    this.namespace = namespace;
    this.image = image;
  }

  /** The Jobs of the restore's current generation, rendered (not created). */
  List<Job> render(EtcdRestore restore, PrepareSnapshotResolver.Plan plan) {
    var spec = restore.getSpec();
    OwnerReference owner =
        restore.getMetadata().getUid() == null
            ? null
            : new OwnerReferenceBuilder()
                .withApiVersion(EtcdSnapshot.GROUP + "/" + EtcdSnapshot.VERSION)
                .withKind("EtcdRestore")
                .withName(restore.getMetadata().getName())
                .withUid(restore.getMetadata().getUid())
                .build();
    long generation =
        restore.getMetadata().getGeneration() == null ? 1 : restore.getMetadata().getGeneration();
    List<Job> jobs = new ArrayList<>();
    for (String node : plan.nodes()) {
      jobs.add(
          PrepareJobs.render(
              new PrepareJobs.Request(
                  namespace,
                  image,
                  restore.getMetadata().getName(),
                  generation,
                  owner,
                  node,
                  plan.args(),
                  spec.getWorkDir(),
                  plan.localDir(),
                  plan.credentialSecret(),
                  spec.getTimeoutSeconds() == null ? DEFAULT_TIMEOUT : spec.getTimeoutSeconds(),
                  spec.getTolerations())));
    }
    return jobs;
  }

  Step run(EtcdRestore restore, PrepareSnapshotResolver.Plan plan) {
    List<Job> jobs = render(restore, plan);
    List<String> waiting = new ArrayList<>();
    Map<String, PrepareResult> results = new LinkedHashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      Job wanted = jobs.get(i);
      String node = plan.nodes().get(i);
      var jobs0 = client.batch().v1().jobs().inNamespace(namespace);
      Job job = jobs0.withName(wanted.getMetadata().getName()).get();
      if (job == null) {
        try {
          jobs0.resource(wanted).create();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
        }
        waiting.add(node);
        continue;
      }
      String message = JobTerminationMessage.of(client, namespace, job);
      var status = job.getStatus();
      boolean failed = status != null && status.getFailed() != null && status.getFailed() > 0;
      if (message == null && !failed) {
        waiting.add(node);
        continue;
      }
      results.put(node, result(job, node, message));
    }
    if (!waiting.isEmpty()) {
      return new Waiting(waiting);
    }
    return new Finished(PreparedCheck.check(plan.expectedSha256(), plan.nodes(), results));
  }

  private static PrepareResult result(Job job, String node, String message) {
    if (message == null) {
      return PrepareResult.failed(
          node,
          "JobFailed",
          "Job "
              + job.getMetadata().getName()
              + " failed without a result (deadline, image pull or eviction)");
    }
    int start = message.lastIndexOf("\n{");
    String json = start >= 0 ? message.substring(start + 1) : message;
    try {
      PrepareResult result = PrepareResult.fromJson(json);
      // The node is the one the Job was pinned to, whatever the pod called itself.
      return new PrepareResult(
          node, result.snapshotName(), result.sha256(), result.reason(), result.error());
    } catch (IllegalArgumentException e) {
      String text = message.length() > 300 ? message.substring(0, 300) + "..." : message;
      return PrepareResult.failed(node, "FAILED", text);
    }
  }
}

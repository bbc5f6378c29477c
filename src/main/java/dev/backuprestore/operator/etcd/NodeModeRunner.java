package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdAccess;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.etcd.agent.AgentJobRequest;
import dev.backuprestore.etcd.agent.EtcdAgentJobs;
import dev.backuprestore.etcd.agent.EtcdPreset;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node mode (RKE's model): one agent Job per etcd node snapshots its own member into the host's
 * snapshot directory; the first node (by name) is the designated uploader. This class creates the
 * Jobs, waits for them by rescheduling, reads each agent's JSON result from its pod's termination
 * message and records the copies. The agents do the health check and its retries themselves.
 */
final class NodeModeRunner {
  private static final Duration POLL = Duration.ofSeconds(5);
  private final KubernetesClient client;
  private final EtcdAccessResolver access;
  private final EtcdSnapshotFiles files;
  private final String namespace;
  private final String image;
  private final String defaultDistribution;

  NodeModeRunner(
      KubernetesClient client,
      EtcdAccessResolver access,
      EtcdSnapshotFiles files,
      String namespace,
      String image,
      String defaultDistribution) {
    this.defaultDistribution = defaultDistribution;
    this.client = client;
    this.access = access;
    this.files = files;
    this.namespace = namespace;
    this.image = image;
  }

  /** The etcd nodes: spec.nodeSelector, or the preset's label. */
  List<String> nodes(EtcdSnapshot snapshot) {
    EtcdPreset preset = preset(snapshot);
    Map<String, String> selector =
        snapshot.getSpec().getNodeSelector() == null
                || snapshot.getSpec().getNodeSelector().isEmpty()
            ? preset.nodeSelector()
            : snapshot.getSpec().getNodeSelector();
    return client.nodes().withLabels(selector).list().getItems().stream()
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** The Jobs of run {@code name}, one per node, rendered (not created). */
  List<Job> render(
      EtcdSnapshot snapshot,
      String name,
      List<String> nodes,
      int localRetention,
      int s3Retention,
      Duration timeout) {
    EtcdAccess etcd = EtcdAccessResolver.access(snapshot);
    EtcdPreset preset = preset(snapshot);
    S3Location s3 = access.s3(snapshot);
    AgentJobRequest.S3Env s3Env = s3 == null ? null : s3Env(snapshot, s3);
    OwnerReference owner =
        new OwnerReferenceBuilder()
            .withApiVersion(EtcdSnapshot.GROUP + "/" + EtcdSnapshot.VERSION)
            .withKind("EtcdSnapshot")
            .withName(snapshot.getMetadata().getName())
            .withUid(snapshot.getMetadata().getUid())
            .build();
    List<Job> jobs = new ArrayList<>();
    var spec = snapshot.getSpec();
    for (int i = 0; i < nodes.size(); i++) {
      jobs.add(
          EtcdAgentJobs.render(
              new AgentJobRequest(
                  namespace,
                  image,
                  snapshot.getMetadata().getName(),
                  snapshot.getMetadata().getUid() == null ? null : owner,
                  name,
                  nodes.get(i),
                  preset,
                  etcd.getHostCerts() == null ? null : etcd.getHostCerts().getCaFile(),
                  etcd.getHostCerts() == null ? null : etcd.getHostCerts().getCertFile(),
                  etcd.getHostCerts() == null ? null : etcd.getHostCerts().getKeyFile(),
                  preset.memberEndpoint(etcd.getEndpoints()),
                  etcd.getEndpoints(),
                  etcd.getSnapshotDir(),
                  localRetention,
                  s3Retention,
                  orDefault(spec.getHealthRetries(), EtcdSnapshotReconciler.DEFAULT_RETRIES),
                  orDefault(
                      spec.getHealthRetryIntervalSeconds(),
                      EtcdSnapshotReconciler.DEFAULT_RETRY_INTERVAL),
                  (int) timeout.toSeconds(),
                  i == 0 ? s3Env : null,
                  spec.getTolerations(),
                  !Boolean.FALSE.equals(spec.getCompress()))));
    }
    return jobs;
  }

  private EtcdPreset preset(EtcdSnapshot snapshot) {
    String distribution = EtcdAccessResolver.access(snapshot).getDistribution();
    return EtcdPreset.parse(
        distribution == null || distribution.isBlank() ? defaultDistribution : distribution);
  }

  RunStep run(
      EtcdSnapshot snapshot, String name, int localRetention, int s3Retention, Duration timeout) {
    List<String> nodes = nodes(snapshot);
    if (nodes.isEmpty()) {
      return new RunStep.Failed(
          List.of(), "", "NoEtcdNodes", "no node matches the etcd node selector");
    }
    List<Job> jobs = render(snapshot, name, nodes, localRetention, s3Retention, timeout);
    List<String> running = new ArrayList<>();
    Map<String, SnapshotOutcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      Job wanted = jobs.get(i);
      String node = nodes.get(i);
      Job job =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withName(wanted.getMetadata().getName())
              .get();
      if (job == null) {
        try {
          client.batch().v1().jobs().inNamespace(namespace).resource(wanted).create();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
        }
        running.add(node);
        continue;
      }
      // Done when the agent's container has terminated (its result is in the termination
      // message) or when the Job failed without one (deadline, image pull, eviction).
      var status = job.getStatus();
      boolean failed = status != null && status.getFailed() != null && status.getFailed() > 0;
      if (!failed && JobTerminationMessage.of(client, namespace, job) == null) {
        running.add(node);
        continue;
      }
      outcomes.put(node, result(job, name, node));
    }
    if (!running.isEmpty()) {
      return new RunStep.Waiting(
          List.of(), "Waiting for the etcd agents on " + String.join(", ", running), POLL);
    }
    return collect(snapshot, name, nodes, outcomes);
  }

  private RunStep collect(
      EtcdSnapshot snapshot,
      String name,
      List<String> nodes,
      Map<String, SnapshotOutcome> outcomes) {
    S3Location s3 = access.s3(snapshot);
    List<SnapshotOutcome> copies = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (SnapshotOutcome outcome : outcomes.values()) {
      if (!outcome.succeeded()) {
        failures.add(outcome.nodeName() + ": " + outcome.error());
        continue;
      }
      files.recordNode(snapshot, outcome);
      files.deleted(
          outcome.nodeName(),
          outcome.deletedLocal(),
          n ->
              EtcdSnapshotFiles.fileUrl(
                  java.nio.file.Path.of(outcome.localPath())
                      .resolveSibling(n + ".zip")
                      .toString()));
      copies.add(outcome);
      if (outcome.s3FileName() != null && s3 != null) {
        files.recordS3(snapshot, outcome, s3);
        files.deleted(
            EtcdSnapshotFiles.S3_NODE,
            outcome.deletedS3(),
            n -> EtcdSnapshotFiles.s3Url(s3, n + ".zip"));
      }
    }
    if (s3 != null) {
      try (S3Store store = new S3Store(s3)) {
        files.rebuildS3(snapshot, store, s3);
      }
    }
    SnapshotOutcome uploader = outcomes.get(nodes.get(0));
    boolean uploaded = s3 != null && uploader != null && uploader.s3FileName() != null;
    if (copies.isEmpty() || (s3 != null && !uploaded)) {
      SnapshotOutcome first =
          outcomes.values().stream().filter(o -> !o.succeeded()).findFirst().orElseThrow();
      return new RunStep.Failed(
          List.of(),
          first.member() == null ? "" : first.member(),
          first.reason(),
          String.join("; ", failures));
    }
    String message =
        "Snapshot "
            + name
            + " taken on "
            + copies.size()
            + " of "
            + nodes.size()
            + " etcd nodes"
            + (uploaded ? " and uploaded to " + s3.describe() : "")
            + (failures.isEmpty() ? "" : "; failed: " + String.join("; ", failures));
    copies.sort(Comparator.comparing(o -> o.s3FileName() == null ? 1 : 0));
    return new RunStep.Done(List.of(), copies, message, uploaded, 0);
  }

  /** The agent's JSON result from its pod's termination message. */
  private SnapshotOutcome result(Job job, String name, String node) {
    String message = JobTerminationMessage.of(client, namespace, job);
    if (message == null) {
      return SnapshotOutcome.failure(
          name,
          node,
          "",
          "AgentFailed",
          "agent Job " + job.getMetadata().getName() + " on " + node + " ended without a result");
    }
    int start = message.lastIndexOf("\n{");
    String json = start >= 0 ? message.substring(start + 1) : message;
    try {
      return SnapshotOutcome.fromJson(json);
    } catch (RuntimeException e) {
      return SnapshotOutcome.failure(
          name, node, "", "AgentFailed", "agent on " + node + " failed: " + abbreviate(message));
    }
  }

  private AgentJobRequest.S3Env s3Env(EtcdSnapshot snapshot, S3Location s3) {
    var store = snapshot.getSpec().getStorageLocation().getS3();
    String secret = store.getCredentialSecretName();
    if (secret != null && !secret.isBlank()) {
      String ns = store.getCredentialSecretNamespace();
      if (ns != null && !ns.isBlank() && !ns.equals(namespace)) {
        throw new ValidationException(
            "node mode: the agent Jobs run in "
                + namespace
                + " without an API token, so the S3 credential Secret must be in "
                + namespace
                + ", not "
                + ns);
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("S3_BUCKET", s3.bucketName());
    put(values, "S3_ENDPOINT", s3.endpoint());
    put(values, "S3_REGION", s3.region());
    put(values, "S3_FOLDER", s3.folder());
    put(values, "S3_ENDPOINT_CA", s3.endpointCA());
    if (s3.insecureTLSSkipVerify()) {
      values.put("S3_INSECURE_SKIP_VERIFY", "true");
    }
    if (!s3.useHttps()) {
      values.put("S3_USE_HTTP", "true");
    }
    return new AgentJobRequest.S3Env(values, secret == null || secret.isBlank() ? null : secret);
  }

  private static void put(Map<String, String> values, String key, String value) {
    if (value != null && !value.isEmpty()) {
      values.put(key, value);
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}

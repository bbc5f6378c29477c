package dev.backuprestore.etcd.restore;

import dev.backuprestore.etcd.agent.AgentJobRequest;
import dev.backuprestore.etcd.agent.EtcdAgentJobs;
import dev.backuprestore.etcd.agent.EtcdPreset;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Renders the per-node Job of an EtcdRestore's prepare step: {@code etcd-restore prepare} pinned to
 * one etcd node. The pod is the etcd agent's ({@link EtcdAgentJobs}: node affinity on the node
 * name, host network, no service account token, root with no capabilities and a read-only root file
 * system, no Job retries), with the etcd certificate mounts left out (prepare talks to no member),
 * the restore work directory mounted from the host instead of the snapshot directory, and the
 * result written to the termination message. It never mounts an etcd data directory.
 */
public final class PrepareJobs {
  public static final String COMPONENT = "etcd-restore-prepare";
  public static final String RESTORE_LABEL = "etcd.backuprestore.dev/restore";
  public static final String GENERATION_ANNOTATION = "etcd.backuprestore.dev/restore-generation";
  public static final String DEFAULT_WORK_DIR = "/opt/rke/etcd-snapshots-restore";
  static final String TERMINATION_LOG = "/dev/termination-log";

  /**
   * One node's prepare Job.
   *
   * @param namespace the operator's namespace (where the S3 credential Secret must be)
   * @param image the operator image
   * @param restoreName the EtcdRestore's name
   * @param generation the EtcdRestore's generation: a changed spec gets new Jobs
   * @param owner the EtcdRestore as owner, or null
   * @param nodeName the etcd node
   * @param snapshotArgs the {@code etcd-restore prepare} options that name the snapshot, its S3
   *     location and the expected sha256
   * @param workDir the host directory the zip is fetched into
   * @param localSnapshotDir a host directory holding the zip, mounted read-only, or null
   * @param s3CredentialSecret a Secret in {@code namespace} with accessKey and secretKey, or null
   * @param timeoutSeconds deadline of the pod
   * @param tolerations null tolerates every taint
   */
  public record Request(
      String namespace,
      String image,
      String restoreName,
      long generation,
      OwnerReference owner,
      String nodeName,
      List<String> snapshotArgs,
      String workDir,
      String localSnapshotDir,
      String s3CredentialSecret,
      int timeoutSeconds,
      List<Toleration> tolerations) {
    public Request {
      Objects.requireNonNull(restoreName, "restoreName");
      Objects.requireNonNull(nodeName, "nodeName");
      snapshotArgs = List.copyOf(snapshotArgs);
      workDir = workDir == null || workDir.isBlank() ? DEFAULT_WORK_DIR : workDir;
    }
  }

  private PrepareJobs() {}

  /** Stable per restore, generation and node; at most 63 characters. */
  public static String jobName(String restoreName, long generation, String nodeName) {
    String hash = shortHash(restoreName + "\n" + generation + "\n" + nodeName);
    String prefix =
        ("etcd-restore-" + restoreName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
    if (prefix.length() > 50) {
      prefix = prefix.substring(0, 50);
    }
    return prefix.replaceAll("-+$", "") + "-" + hash;
  }

  public static Job render(Request r) {
    Job job =
        EtcdAgentJobs.render(
            new AgentJobRequest(
                r.namespace(),
                r.image(),
                r.restoreName(),
                r.owner(),
                "prepare-" + r.generation(),
                r.nodeName(),
                EtcdPreset.KUBEADM, // only for the agent's certificate mounts, removed below
                null,
                null,
                null,
                null,
                List.of(),
                r.workDir(),
                0,
                0,
                0,
                1,
                r.timeoutSeconds(),
                null,
                r.tolerations(),
                true)); // the agent's COMPRESS: unused, the environment is replaced below
    Map<String, String> labels = new TreeMap<>(job.getMetadata().getLabels());
    labels.remove(EtcdAgentJobs.SNAPSHOT_LABEL);
    labels.remove(EtcdAgentJobs.RUN_LABEL);
    labels.put("app.kubernetes.io/component", COMPONENT);
    labels.put(RESTORE_LABEL, labelSafe(r.restoreName()));
    job.getMetadata().setName(jobName(r.restoreName(), r.generation(), r.nodeName()));
    job.getMetadata().setLabels(labels);
    job.getMetadata().setAnnotations(Map.of(GENERATION_ANNOTATION, Long.toString(r.generation())));
    job.getSpec().getTemplate().getMetadata().setLabels(new TreeMap<>(labels));

    PodSpec pod = job.getSpec().getTemplate().getSpec();
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(hostPath("restore", r.workDir(), "DirectoryOrCreate"));
    mounts.add(new VolumeMountBuilder().withName("restore").withMountPath(r.workDir()).build());
    if (r.localSnapshotDir() != null) {
      volumes.add(hostPath("local-snapshots", r.localSnapshotDir(), "Directory"));
      mounts.add(
          new VolumeMountBuilder()
              .withName("local-snapshots")
              .withMountPath(r.localSnapshotDir())
              .withReadOnly(true)
              .build());
    }
    // The agent's scratch directory stays: the JVM wants a writable /tmp.
    for (Volume volume : pod.getVolumes()) {
      if (volume.getEmptyDir() != null) {
        volumes.add(volume);
      }
    }
    Container container = pod.getContainers().get(0);
    for (VolumeMount mount : container.getVolumeMounts()) {
      if (volumes.stream()
          .anyMatch(v -> v.getEmptyDir() != null && v.getName().equals(mount.getName()))) {
        mounts.add(mount);
      }
    }
    pod.setVolumes(volumes);
    container.setName(COMPONENT);
    container.setVolumeMounts(mounts);
    List<String> args = new ArrayList<>(List.of("etcd-restore", "prepare"));
    args.addAll(r.snapshotArgs());
    args.add("--work-dir=" + r.workDir());
    args.add("--node=" + r.nodeName());
    args.add("--result-file=" + TERMINATION_LOG);
    container.setArgs(args);
    List<EnvVar> env = new ArrayList<>();
    if (r.s3CredentialSecret() != null) {
      env.add(secretEnv("AWS_ACCESS_KEY_ID", r.s3CredentialSecret(), "accessKey"));
      env.add(secretEnv("AWS_SECRET_ACCESS_KEY", r.s3CredentialSecret(), "secretKey"));
    }
    container.setEnv(env);
    return job;
  }

  private static Volume hostPath(String name, String path, String type) {
    return new VolumeBuilder()
        .withName(name)
        .withNewHostPath()
        .withPath(path)
        .withType(type)
        .endHostPath()
        .build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static String labelSafe(String value) {
    String safe = value.replaceAll("[^A-Za-z0-9._-]", "-");
    if (safe.length() > 63) {
      safe = safe.substring(0, 54) + "-" + shortHash(value);
    }
    return safe;
  }

  private static String shortHash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.backuprestore.etcd.agent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the per-node agent Job: pinned to its node (required node affinity on the node name, so
 * the scheduler still checks it), host network (to reach the member on 127.0.0.1:2379 as RKE does),
 * the node's etcd client certificate files mounted read-only from the host, the host snapshot
 * directory mounted read-write, no service account token, no retries by the Job controller (the
 * agent retries the health check itself), and its result in the termination message.
 */
public final class EtcdAgentJobs {
  public static final String COMPONENT = "etcd-agent";
  public static final String SNAPSHOT_LABEL = "etcd.backuprestore.dev/snapshot";
  public static final String RUN_LABEL = "etcd.backuprestore.dev/run";
  public static final String NODE_LABEL = "etcd.backuprestore.dev/node";

  private EtcdAgentJobs() {}

  /** The Job's name: stable per run and node, at most 63 characters. */
  public static String jobName(String etcdSnapshot, String snapshotName, String nodeName) {
    String hash = shortHash(etcdSnapshot + "\n" + snapshotName + "\n" + nodeName);
    String base = etcdSnapshot.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String prefix = "etcd-snapshot-" + base;
    if (prefix.length() > 50) {
      prefix = prefix.substring(0, 50);
    }
    prefix = prefix.replaceAll("-+$", "");
    return prefix + "-" + hash;
  }

  /** A label value for the run: the snapshot name's hash (names hold ':' which labels refuse). */
  public static String runLabel(String snapshotName) {
    return shortHash(snapshotName);
  }

  public static Job render(AgentJobRequest r) {
    String ca = r.caFile() != null ? r.caFile() : r.preset().caFile();
    String cert = r.certFile() != null ? r.certFile() : r.preset().certFile();
    String key = r.keyFile() != null ? r.keyFile() : r.preset().keyFile();
    if (ca == null || cert == null || key == null) {
      throw new IllegalArgumentException(
          "etcd distribution custom needs hostCerts caFile, certFile and keyFile");
    }
    String snapshotDir =
        r.snapshotDir() == null || r.snapshotDir().isBlank()
            ? AgentConfig.DEFAULT_DIRECTORY
            : r.snapshotDir();
    Map<String, String> labels = new TreeMap<>();
    labels.put("app.kubernetes.io/name", "backup-restore-operator");
    labels.put("app.kubernetes.io/component", COMPONENT);
    labels.put(SNAPSHOT_LABEL, labelSafe(r.etcdSnapshot()));
    labels.put(RUN_LABEL, runLabel(r.snapshotName()));
    labels.put(NODE_LABEL, labelSafe(r.nodeName()));

    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder()
            .withName("NODE_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.hostIP")
            .endFieldRef()
            .endValueFrom()
            .build());
    Map<String, String> plain = new LinkedHashMap<>();
    plain.put("SNAPSHOT_NAME", r.snapshotName());
    plain.put("NODE_NAME", r.nodeName());
    plain.put("ETCD_ENDPOINT", r.endpoint() != null ? r.endpoint() : r.preset().endpoint());
    if (!r.healthEndpoints().isEmpty()) {
      plain.put("ETCD_HEALTH_ENDPOINTS", String.join(",", r.healthEndpoints()));
    }
    plain.put("ETCD_CACERT", ca);
    plain.put("ETCD_CERT", cert);
    plain.put("ETCD_KEY", key);
    plain.put("SNAPSHOT_DIR", snapshotDir);
    plain.put("LOCAL_RETENTION", Integer.toString(r.localRetention()));
    plain.put("S3_RETENTION", Integer.toString(r.s3Retention()));
    plain.put("HEALTH_RETRIES", Integer.toString(r.healthRetries()));
    plain.put("HEALTH_RETRY_INTERVAL_SECONDS", Integer.toString(r.healthRetryIntervalSeconds()));
    plain.put("DISTRIBUTION", r.preset().name().toLowerCase(Locale.ROOT));
    plain.put("COMPRESS", Boolean.toString(r.compress()));
    if (r.s3() != null) {
      plain.putAll(r.s3().values());
    }
    plain.forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    if (r.s3() != null && r.s3().credentialSecretName() != null) {
      for (String[] pair :
          new String[][] {{"S3_ACCESS_KEY", "accessKey"}, {"S3_SECRET_KEY", "secretKey"}}) {
        env.add(
            new EnvVarBuilder()
                .withName(pair[0])
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(r.s3().credentialSecretName())
                .withKey(pair[1])
                .endSecretKeyRef()
                .endValueFrom()
                .build());
      }
    }

    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    int i = 0;
    for (String file : new String[] {ca, cert, key}) {
      String volume = "etcd-cert-" + i++;
      volumes.add(
          new VolumeBuilder()
              .withName(volume)
              .withNewHostPath()
              .withPath(file)
              .withType("File")
              .endHostPath()
              .build());
      mounts.add(
          new VolumeMountBuilder().withName(volume).withMountPath(file).withReadOnly(true).build());
    }
    volumes.add(
        new VolumeBuilder()
            .withName("snapshots")
            .withNewHostPath()
            .withPath(snapshotDir)
            .withType("DirectoryOrCreate")
            .endHostPath()
            .build());
    mounts.add(new VolumeMountBuilder().withName("snapshots").withMountPath(snapshotDir).build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());

    List<Toleration> tolerations =
        r.tolerations() != null
            ? r.tolerations()
            : List.of(new TolerationBuilder().withOperator("Exists").build());
    JobBuilder job =
        new JobBuilder()
            .withNewMetadata()
            .withName(jobName(r.etcdSnapshot(), r.snapshotName(), r.nodeName()))
            .withNamespace(r.namespace())
            .withLabels(labels)
            .addToAnnotations("etcd.backuprestore.dev/snapshot-name", r.snapshotName())
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(0)
            .withActiveDeadlineSeconds(
                (long) r.timeoutSeconds()
                    + (long) r.healthRetries() * r.healthRetryIntervalSeconds())
            .withTtlSecondsAfterFinished(24 * 3600)
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withHostNetwork(true)
            .withDnsPolicy("ClusterFirstWithHostNet")
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withPriorityClassName("system-node-critical")
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchField()
            .withKey("metadata.name")
            .withOperator("In")
            .withValues(r.nodeName())
            .endMatchField()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .withTolerations(tolerations)
            .withVolumes(volumes)
            .addNewContainer()
            .withName(COMPONENT)
            .withImage(r.image())
            .withArgs("etcd-agent")
            .withEnv(env)
            .withVolumeMounts(mounts)
            .withTerminationMessagePath("/dev/termination-log")
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withNewSecurityContext()
            // root: the host's etcd client key is root-owned 0600
            .withRunAsUser(0L)
            .withRunAsNonRoot(false)
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .withNewResources()
            .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
            .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi"))
            .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("512Mi"))
            .endResources()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec();
    Job rendered = job.build();
    if (r.owner() != null) {
      rendered.getMetadata().setOwnerReferences(List.of(r.owner()));
    }
    return rendered;
  }

  private static String labelSafe(String value) {
    String safe = value.replaceAll("[^A-Za-z0-9._-]", "-");
    if (safe.length() > 63) {
      safe = safe.substring(0, 54) + "-" + shortHash(value);
    }
    return safe.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
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

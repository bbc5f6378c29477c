package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrepareJobsTest {
  static PrepareJobs.Request request(String localDir, String secret) {
    return new PrepareJobs.Request(
        "ops",
        "example.invalid/bro:1",
        "before-upgrade",
        3,
        new OwnerReferenceBuilder()
            .withApiVersion("etcd.backuprestore.dev/v1alpha1")
            .withKind("EtcdRestore")
            .withName("before-upgrade")
            .withUid("u-1")
            .build(),
        "cp-2",
        List.of("--snapshot=s3://b/f/s.zip", "--expect-sha256=" + "a".repeat(64)),
        null,
        localDir,
        secret,
        600,
        null);
  }

  @Test
  void theJobRunsPreparePinnedToItsNodeWithTheAgentsPodSettings() {
    Job job = PrepareJobs.render(request(null, "s3-creds"));
    assertThat(job.getMetadata().getName())
        .startsWith("etcd-restore-before-upgrade-")
        .hasSizeLessThanOrEqualTo(63)
        .isEqualTo(PrepareJobs.jobName("before-upgrade", 3, "cp-2"))
        .isNotEqualTo(PrepareJobs.jobName("before-upgrade", 4, "cp-2"))
        .isNotEqualTo(PrepareJobs.jobName("before-upgrade", 3, "cp-1"));
    assertThat(job.getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("EtcdRestore"));
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", PrepareJobs.COMPONENT)
        .containsEntry(PrepareJobs.RESTORE_LABEL, "before-upgrade")
        .containsEntry("etcd.backuprestore.dev/node", "cp-2")
        .doesNotContainKey("etcd.backuprestore.dev/snapshot");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);

    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    var term =
        pod.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .get(0)
            .getMatchFields()
            .get(0);
    assertThat(term.getKey()).isEqualTo("metadata.name");
    assertThat(term.getValues()).containsExactly("cp-2");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));

    Container container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("example.invalid/bro:1");
    assertThat(container.getArgs())
        .containsExactly(
            "etcd-restore",
            "prepare",
            "--snapshot=s3://b/f/s.zip",
            "--expect-sha256=" + "a".repeat(64),
            "--work-dir=/opt/rke/etcd-snapshots-restore",
            "--node=cp-2",
            "--result-file=/dev/termination-log");
    assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getEnv())
        .extracting(
            e ->
                e.getName()
                    + "="
                    + e.getValueFrom().getSecretKeyRef().getName()
                    + "/"
                    + e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly(
            "AWS_ACCESS_KEY_ID=s3-creds/accessKey", "AWS_SECRET_ACCESS_KEY=s3-creds/secretKey");

    // Only the work directory from the host (and a scratch /tmp): no etcd certificates, no data
    // directory, no snapshot directory.
    assertThat(pod.getVolumes().stream().filter(v -> v.getHostPath() != null))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getHostPath().getPath()).isEqualTo("/opt/rke/etcd-snapshots-restore");
              assertThat(v.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
            });
    assertThat(container.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/opt/rke/etcd-snapshots-restore", "/tmp");
    assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("etcd-cert-0");
  }

  @Test
  void aLocalZipsDirectoryIsMountedReadOnlyAndNoCredentialsAreReferenced() {
    Job job = PrepareJobs.render(request("/opt/rke/etcd-snapshots", null));
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getHostPath().getPath() + ":" + v.getHostPath().getType())
        .containsExactlyInAnyOrder(
            "/opt/rke/etcd-snapshots-restore:DirectoryOrCreate",
            "/opt/rke/etcd-snapshots:Directory");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/opt/rke/etcd-snapshots"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(pod.getContainers().get(0).getEnv()).isEmpty();
  }

  @Test
  void longRestoreNamesStayWithinTheLimits() {
    String name = "r".repeat(200);
    assertThat(PrepareJobs.jobName(name, 1, "n")).hasSizeLessThanOrEqualTo(63);
    var r = request(null, null);
    Job job =
        PrepareJobs.render(
            new PrepareJobs.Request(
                r.namespace(),
                r.image(),
                name,
                1,
                null,
                "n",
                List.of(),
                "/w",
                null,
                null,
                60,
                null));
    assertThat(job.getMetadata().getLabels().get(PrepareJobs.RESTORE_LABEL))
        .hasSizeLessThanOrEqualTo(63);
    assertThat(job.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }
}

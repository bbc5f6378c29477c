package dev.backuprestore.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.etcd.v1alpha1.EtcdRestore;
import dev.backuprestore.api.etcd.v1alpha1.EtcdRestoreNodeStatus;
import dev.backuprestore.api.etcd.v1alpha1.EtcdRestoreSpec;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFile;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFileS3;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFileSpec;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFileStatus;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.cli.etcd.EtcdRestoreCommand;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.restore.PrepareJobs;
import dev.backuprestore.etcd.restore.SnapshotVerifierTestStates;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.storage.Upload;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.etcd.JobPods;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EtcdRestore on the real apiserver with a real S3: the operator creates one prepare Job per etcd
 * node (admitted by the apiserver); this test stands in for the kubelet, running each Job's {@code
 * etcd-restore prepare} command line in-process with this machine's directories, and posting its
 * result file as the pod's termination message ({@link JobPods}).
 */
class EtcdRestorePrepareIT {
  static final String NS = EtcdOperatorFixture.NAMESPACE;
  static final String BUCKET = "prepare";
  static final String NAME = "rke_etcd_snapshot_prepare";
  static final String NODE_LABEL = "test.backuprestore.dev/prepare-it";
  static EtcdOperatorFixture fixture;
  static S3ProxyServer s3;
  static String recordedSha256;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    Path zip = SnapshotVerifierTestStates.writeZip(dir, NAME, 16);
    recordedSha256 = SnapshotArchiveReader.fileSha256(zip);
    try (S3Store store =
        new S3Store(
            S3Location.builder(BUCKET)
                .endpoint(s3.endpoint())
                .folder("cluster")
                .useHttps(false)
                .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
                .build())) {
      put(store, NAME + ".zip", Files.readAllBytes(zip));
      put(
          store,
          NAME + ".zip.sha256",
          SnapshotDirectory.sidecarLine(NAME, recordedSha256).getBytes(StandardCharsets.UTF_8));
    }
    fixture = new EtcdOperatorFixture("example.invalid/bro:test");
    fixture.s3CredentialSecret("prepare-s3");
    for (int i = 1; i <= 3; i++) {
      fixture
          .client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName("prep-" + i)
                  .addToLabels(NODE_LABEL, "etcd")
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
    EtcdSnapshotFile file = new EtcdSnapshotFile();
    file.setMetadata(new ObjectMetaBuilder().withName("prepare-s3-copy").build());
    EtcdSnapshotFileSpec spec = new EtcdSnapshotFileSpec();
    spec.setSnapshotName(NAME);
    spec.setNodeName("s3");
    spec.setLocation("s3://" + BUCKET + "/cluster/" + NAME + ".zip");
    EtcdSnapshotFileS3 fileS3 = new EtcdSnapshotFileS3();
    fileS3.setEndpoint(s3.endpoint());
    fileS3.setBucket(BUCKET);
    fileS3.setFolder("cluster");
    spec.setS3(fileS3);
    file.setSpec(spec);
    EtcdSnapshotFile created = fixture.client.resource(file).create();
    EtcdSnapshotFileStatus status = new EtcdSnapshotFileStatus();
    status.setReadyToUse(true);
    status.setSha256(recordedSha256);
    created.setStatus(status);
    fixture.client.resource(created).updateStatus();
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
    s3.close();
  }

  private static void put(S3Store store, String name, byte[] bytes) throws Exception {
    try (Upload upload = store.openUpload(name)) {
      upload.stream().write(bytes);
      upload.commit();
    }
  }

  private static EtcdRestore restore(String name) {
    EtcdRestore restore = new EtcdRestore();
    restore.setMetadata(new ObjectMetaBuilder().withName(name).build());
    EtcdRestoreSpec spec = new EtcdRestoreSpec();
    spec.setSnapshotFile("prepare-s3-copy");
    spec.setNodeSelector(Map.of(NODE_LABEL, "etcd"));
    spec.setCredentialSecretName("prepare-s3");
    restore.setSpec(spec);
    return restore;
  }

  @Test
  void everyNodeVerifiesTheRecordedZipAndTheRestoreIsPrepared() throws Exception {
    fixture.client.resource(restore("all-nodes")).create();
    List<Job> jobs = awaitJobs("all-nodes");
    for (Job job : jobs) {
      assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
      assertThat(args(job))
          .contains(
              "--snapshot=s3://" + BUCKET + "/cluster/" + NAME + ".zip",
              "--expect-sha256=" + recordedSha256,
              "--s3-plain-http");
      runAndReport(job, null);
    }

    EtcdRestore done = awaitVerdict("all-nodes");
    Condition prepared = EtcdRestoreConditions.find(done.getStatus().getConditions(), "Prepared");
    assertThat(prepared.getStatus()).as(prepared.getMessage()).isEqualTo("True");
    assertThat(prepared.getMessage()).contains("all 3 nodes", recordedSha256, "as recorded");
    assertThat(done.getStatus().getExpectedSha256()).isEqualTo(recordedSha256);
    assertThat(done.getStatus().getNodes())
        .extracting(EtcdRestoreNodeStatus::getNode)
        .containsExactly("prep-1", "prep-2", "prep-3");
    assertThat(done.getStatus().getNodes())
        .allSatisfy(
            n -> {
              assertThat(n.getSha256()).isEqualTo(recordedSha256);
              assertThat(n.getMatches()).isTrue();
            });
    for (int i = 1; i <= 3; i++) {
      assertThat(dir.resolve("all-nodes/prep-" + i).resolve("work").resolve(NAME + ".zip"))
          .exists();
    }
    awaitEvent("all-nodes", "EtcdRestorePrepared");
  }

  @Test
  void aNodeHoldingOtherBytesIsNamedAndTheRestoreIsNotPrepared() throws Exception {
    fixture.client.resource(restore("one-corrupt")).create();
    Path corrupt = Files.createDirectories(dir.resolve("corrupt")).resolve(NAME + ".zip");
    byte[] bytes = Files.readAllBytes(dir.resolve(NAME + ".zip"));
    bytes[bytes.length / 2] ^= 1;
    Files.write(corrupt, bytes);
    for (Job job : awaitJobs("one-corrupt")) {
      boolean second = job.getMetadata().getLabels().get(EtcdAgentJobsLabels.NODE).equals("prep-2");
      runAndReport(job, second ? corrupt.toString() : null);
    }

    EtcdRestore done = awaitVerdict("one-corrupt");
    Condition prepared = EtcdRestoreConditions.find(done.getStatus().getConditions(), "Prepared");
    assertThat(prepared.getStatus()).isEqualTo("False");
    assertThat(prepared.getReason()).isEqualTo("NodeFailed");
    assertThat(prepared.getMessage()).startsWith("Not prepared on 1 of 3 nodes: prep-2: VERIFY: ");
    assertThat(EtcdRestoreConditions.find(done.getStatus().getConditions(), "Stalled")).isNotNull();
    assertThat(done.getStatus().getNodes())
        .filteredOn(n -> n.getNode().equals("prep-2"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.getMatches()).isFalse();
              assertThat(n.getSha256()).isNull();
              assertThat(n.getError()).contains(recordedSha256);
            });
    assertThat(done.getStatus().getNodes())
        .filteredOn(n -> !n.getNode().equals("prep-2"))
        .allSatisfy(n -> assertThat(n.getSha256()).isEqualTo(recordedSha256));
    awaitEvent("one-corrupt", "EtcdRestoreNotPrepared");
  }

  @Test
  void anInvalidSpecIsStalledWithoutJobs() {
    EtcdRestore restore = restore("both-sources");
    restore.getSpec().setFileName(NAME + ".zip");
    fixture.client.resource(restore).create();
    EtcdRestore done = awaitVerdict("both-sources");
    Condition prepared = EtcdRestoreConditions.find(done.getStatus().getConditions(), "Prepared");
    assertThat(prepared.getReason()).isEqualTo("InvalidSpec");
    assertThat(prepared.getMessage())
        .contains("exactly one of spec.snapshotFile and spec.fileName");
    assertThat(jobs("both-sources")).isEmpty();
  }

  @Test
  void aJobThatFailedWithoutAResultIsReportedForItsNode() throws Exception {
    fixture.client.resource(restore("job-failed")).create();
    for (Job job : awaitJobs("job-failed")) {
      if (job.getMetadata().getLabels().get(EtcdAgentJobsLabels.NODE).equals("prep-3")) {
        // what the Job controller records when the pod never ran (image pull, deadline)
        job.setStatus(
            new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .withStartTime(
                    java.time.Instant.now()
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString())
                .withFailed(1)
                .build());
        fixture.client.batch().v1().jobs().inNamespace(NS).resource(job).updateStatus();
      } else {
        runAndReport(job, null);
      }
    }
    EtcdRestore done = awaitVerdict("job-failed");
    Condition prepared = EtcdRestoreConditions.find(done.getStatus().getConditions(), "Prepared");
    assertThat(prepared.getStatus()).isEqualTo("False");
    assertThat(prepared.getMessage())
        .contains("prep-3: JobFailed: Job ")
        .contains("failed without a result");
  }

  @Test
  void aCopyOnOneNodeOnlyIsRefusedForThreeNodes() {
    EtcdSnapshotFile file = new EtcdSnapshotFile();
    file.setMetadata(new ObjectMetaBuilder().withName("prepare-local-copy").build());
    EtcdSnapshotFileSpec spec = new EtcdSnapshotFileSpec();
    spec.setSnapshotName(NAME);
    spec.setNodeName("prep-1");
    spec.setLocation("file:///opt/rke/etcd-snapshots/" + NAME + ".zip");
    file.setSpec(spec);
    fixture.client.resource(file).create();
    EtcdRestore restore = restore("local-copy");
    restore.getSpec().setSnapshotFile("prepare-local-copy");
    fixture.client.resource(restore).create();
    EtcdRestore done = awaitVerdict("local-copy");
    Condition prepared = EtcdRestoreConditions.find(done.getStatus().getConditions(), "Prepared");
    assertThat(prepared.getReason()).isEqualTo("InvalidSpec");
    assertThat(prepared.getMessage()).contains("local copy on node prep-1 only");
    assertThat(jobs("local-copy")).isEmpty();
  }

  @Test
  void aLocalZipJobPassesTheApiserversValidation() {
    Job job =
        PrepareJobs.render(
            new PrepareJobs.Request(
                NS,
                "example.invalid/bro:test",
                "dry-run",
                1,
                null,
                "prep-1",
                List.of("--snapshot=/opt/rke/etcd-snapshots/" + NAME + ".zip"),
                null,
                "/opt/rke/etcd-snapshots",
                null,
                600,
                null));
    Job admitted =
        fixture.client.batch().v1().jobs().inNamespace(NS).resource(job).dryRun().create();
    assertThat(admitted.getSpec().getTemplate().getSpec().getVolumes())
        .extracting(v -> v.getName())
        .contains("restore", "local-snapshots");
    assertThat(
            fixture
                .client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withName(job.getMetadata().getName())
                .get())
        .isNull();
  }

  /** What the node would run: the Job's command line with this machine's paths and the keys. */
  private static void runAndReport(Job job, String snapshotOverride) throws Exception {
    String node = job.getMetadata().getLabels().get(EtcdAgentJobsLabels.NODE);
    String restore = job.getMetadata().getLabels().get(PrepareJobs.RESTORE_LABEL);
    Path nodeDir = Files.createDirectories(dir.resolve(restore).resolve(node));
    Path resultFile = nodeDir.resolve("termination-log");
    Path secret = nodeDir.resolve("secret-key");
    Files.writeString(secret, S3ProxyServer.SECRET_KEY);
    List<String> args = new ArrayList<>();
    for (String arg : args(job).subList(1, args(job).size())) {
      if (arg.startsWith("--work-dir=")) {
        arg = "--work-dir=" + nodeDir.resolve("work");
      } else if (arg.startsWith("--result-file=")) {
        arg = "--result-file=" + resultFile;
      } else if (snapshotOverride != null && arg.startsWith("--snapshot=")) {
        arg = "--snapshot=" + snapshotOverride;
      }
      args.add(arg);
    }
    args.add("--s3-access-key=" + S3ProxyServer.ACCESS_KEY);
    args.add("--s3-secret-key-file=" + secret);
    StringWriter err = new StringWriter();
    int code =
        EtcdRestoreCommand.execute(
            args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(resultFile).as(err.toString()).exists();
    JobPods.terminated(fixture.client, job, code, Files.readString(resultFile));
  }

  private static List<String> args(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  private static List<Job> jobs(String restore) {
    return fixture
        .client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withLabel(PrepareJobs.RESTORE_LABEL, restore)
        .list()
        .getItems();
  }

  private static List<Job> awaitJobs(String restore) {
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs(restore).size() == 3);
    return jobs(restore);
  }

  private static EtcdRestore awaitVerdict(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              EtcdRestore r = fixture.client.resources(EtcdRestore.class).withName(name).get();
              Condition c =
                  r.getStatus() == null
                      ? null
                      : EtcdRestoreConditions.find(r.getStatus().getConditions(), "Prepared");
              return c != null && !"Unknown".equals(c.getStatus());
            });
    return fixture.client.resources(EtcdRestore.class).withName(name).get();
  }

  private static void awaitEvent(String name, String reason) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fixture.client.v1().events().inAnyNamespace().list().getItems().stream()
                    .anyMatch(
                        e ->
                            name.equals(e.getInvolvedObject().getName())
                                && "EtcdRestore".equals(e.getInvolvedObject().getKind())
                                && reason.equals(e.getReason())));
  }

  /** The node label of the etcd agent's Jobs, which the prepare Jobs keep. */
  private static final class EtcdAgentJobsLabels {
    static final String NODE = dev.backuprestore.etcd.agent.EtcdAgentJobs.NODE_LABEL;
  }
}

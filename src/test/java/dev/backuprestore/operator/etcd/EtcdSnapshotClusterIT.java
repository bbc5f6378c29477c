package dev.backuprestore.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.etcd.v1alpha1.EtcdAccess;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFile;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotSpec;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.etcd.agent.AgentConfig;
import dev.backuprestore.etcd.agent.EtcdAgent;
import dev.backuprestore.etcd.agent.EtcdAgentJobs;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.etcd.EtcdTestCluster;
import dev.backuprestore.testing.etcd.JobPods;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler against a real 3-member mTLS etcd: operator mode refuses an unhealthy cluster and
 * names the member; node mode creates one Job per etcd node, and (this test standing in for the
 * kubelet, which the test control plane does not have) each Job's agent runs in-process with its
 * own directory as the node's host path, its result posted as the pod's termination message.
 */
class EtcdSnapshotClusterIT {
  @RegisterExtension static EtcdTestCluster etcd = EtcdTestCluster.members(3);
  static EtcdOperatorFixture fixture;
  static S3ProxyServer s3;
  static final String BUCKET = "cluster";
  static final String NS = EtcdOperatorFixture.NAMESPACE;
  @TempDir Path hosts;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    fixture = new EtcdOperatorFixture("example.invalid/bro:test");
    fixture.secret(
        "etcd-client",
        Map.of(
            "ca.crt",
            Files.readString(etcd.caFile()),
            "tls.crt",
            Files.readString(etcd.clientCertFile()),
            "tls.key",
            Files.readString(etcd.clientKeyFile())));
    fixture.s3CredentialSecret("s3-creds");
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
    s3.close();
  }

  private static EtcdSnapshot snapshot(String name, String folder) {
    EtcdSnapshot snapshot = new EtcdSnapshot();
    snapshot.setMetadata(new ObjectMetaBuilder().withName(name).build());
    EtcdSnapshotSpec spec = new EtcdSnapshotSpec();
    spec.setHealthRetries(1);
    spec.setHealthRetryIntervalSeconds(1);
    S3ObjectStore store = new S3ObjectStore();
    store.setBucketName(BUCKET);
    store.setEndpoint(s3.endpoint());
    store.setFolder(folder);
    store.setCredentialSecretName("s3-creds");
    store.setCredentialSecretNamespace(NS);
    StorageLocation location = new StorageLocation();
    location.setS3(store);
    spec.setStorageLocation(location);
    snapshot.setSpec(spec);
    return snapshot;
  }

  @Test
  void anUnhealthyClusterGetsNoSnapshotAndTheStatusNamesTheMember() throws Exception {
    etcd.stop(2);
    try {
      EtcdSnapshot snapshot = snapshot("unhealthy", "unhealthy");
      EtcdAccess access = new EtcdAccess();
      access.setEndpoints(etcd.clientUrls());
      access.setClientSecretName("etcd-client");
      snapshot.getSpec().setEtcd(access);
      fixture.client.resource(snapshot).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                EtcdSnapshot current =
                    fixture.client.resources(EtcdSnapshot.class).withName("unhealthy").get();
                assertThat(current.getStatus().getLastFailure()).isNotNull();
              });
      EtcdSnapshot failed =
          fixture.client.resources(EtcdSnapshot.class).withName("unhealthy").get();
      assertThat(failed.getStatus().getLastFailure().getMember()).isEqualTo("m3");
      assertThat(failed.getStatus().getLastFailure().getReason()).isEqualTo("MemberUnreachable");
      var ready = EtcdConditions.find(failed.getStatus().getConditions(), "Ready");
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getMessage()).contains("member m3");
      assertThat(EtcdConditions.find(failed.getStatus().getConditions(), "Stalled")).isNotNull();
      assertThat(failed.getStatus().getMembers())
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo("m3");
                assertThat(m.getHealthy()).isFalse();
              });
      assertThat(s3.objectKeys(BUCKET).stream().filter(k -> k.startsWith("unhealthy/"))).isEmpty();
      assertThat(
              fixture.client.v1().events().inNamespace("default").list().getItems().stream()
                  .filter(e -> "unhealthy".equals(e.getInvolvedObject().getName()))
                  .map(e -> e.getReason()))
          .contains("EtcdUnhealthy", "EtcdSnapshotFailed");
    } finally {
      etcd.restart(2);
    }
  }

  @Test
  void nodeModeRunsOneAgentJobPerEtcdNodeAndRecordsEveryCopy() throws Exception {
    for (int i = 1; i <= 3; i++) {
      fixture
          .client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName("cp-" + i)
                  .addToLabels("node-role.kubernetes.io/etcd", "true")
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
    EtcdSnapshot snapshot = snapshot("nodes", "nodes");
    EtcdAccess access = new EtcdAccess();
    access.setDistribution("rke2");
    snapshot.getSpec().setEtcd(access);
    snapshot.getSpec().setSnapshotName("on-every-node");
    fixture.client.resource(snapshot).create();

    await().atMost(Duration.ofSeconds(30)).until(() -> jobs().size() == 3);
    for (Job job : jobs()) {
      String node = job.getMetadata().getLabels().get(EtcdAgentJobs.NODE_LABEL);
      int member = Integer.parseInt(node.substring(3)) - 1;
      SnapshotOutcome outcome = runAgent(job, member, node);
      assertThat(outcome.error()).as(node).isNull();
      postTerminationMessage(job, outcome.toJson());
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        fixture
                            .client
                            .resources(EtcdSnapshot.class)
                            .withName("nodes")
                            .get()
                            .getStatus()
                            .getLastSnapshotName())
                    .isEqualTo("on-every-node"));
    List<EtcdSnapshotFile> files =
        fixture
            .client
            .resources(EtcdSnapshotFile.class)
            .withLabel(EtcdSnapshotFile.SNAPSHOT_LABEL, "nodes")
            .list()
            .getItems();
    assertThat(files)
        .extracting(f -> f.getSpec().getNodeName())
        .containsExactlyInAnyOrder("cp-1", "cp-2", "cp-3", "s3");
    assertThat(files)
        .allSatisfy(
            f -> {
              assertThat(f.getStatus().getReadyToUse()).isTrue();
              assertThat(f.getStatus().getSha256()).hasSize(64);
              assertThat(f.getStatus().getEtcd().getHashKV()).isNotNull();
            });
    assertThat(s3.objectKeys(BUCKET).stream().filter(k -> k.startsWith("nodes/")))
        .containsExactlyInAnyOrder("nodes/on-every-node.zip", "nodes/on-every-node.zip.sha256");
    for (int i = 1; i <= 3; i++) {
      assertThat(hosts.resolve("cp-" + i).resolve("on-every-node.zip")).exists();
    }
    var ready =
        EtcdConditions.find(
            fixture
                .client
                .resources(EtcdSnapshot.class)
                .withName("nodes")
                .get()
                .getStatus()
                .getConditions(),
            "Ready");
    assertThat(ready.getMessage()).contains("taken on 3 of 3 etcd nodes and uploaded");
  }

  private static List<Job> jobs() {
    return fixture
        .client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withLabel(EtcdAgentJobs.SNAPSHOT_LABEL, "nodes")
        .list()
        .getItems();
  }

  /** What the kubelet would run: the Job's environment, with this machine's paths and ports. */
  private SnapshotOutcome runAgent(Job job, int member, String node) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        String key = var.getValueFrom().getSecretKeyRef().getKey();
        env.put(
            var.getName(),
            key.equals("accessKey") ? S3ProxyServer.ACCESS_KEY : S3ProxyServer.SECRET_KEY);
      }
    }
    assertThat(env.get("ETCD_ENDPOINT")).isEqualTo("https://127.0.0.1:2379");
    assertThat(env.get("ETCD_CACERT"))
        .isEqualTo("/var/lib/rancher/rke2/server/tls/etcd/server-ca.crt");
    env.put("ETCD_ENDPOINT", etcd.member(member).clientUrl());
    env.put("ETCD_CACERT", etcd.caFile().toString());
    env.put("ETCD_CERT", etcd.clientCertFile().toString());
    env.put("ETCD_KEY", etcd.clientKeyFile().toString());
    env.put("SNAPSHOT_DIR", hosts.resolve(node).toString());
    return new EtcdAgent(AgentConfig.from(env, new String[0]), d -> {}, Clock.systemUTC(), "test")
        .run();
  }

  /** What the kubelet would report: a terminated container with the agent's output. */
  private static void postTerminationMessage(Job job, String message) {
    JobPods.terminated(fixture.client, job, 0, message);
  }
}

package dev.backuprestore.e2e;

import static dev.backuprestore.e2e.RealNode.log;
import static dev.backuprestore.e2e.RealNode.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.etcd.v1alpha1.EtcdAccess;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFile;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotSpec;
import dev.backuprestore.api.etcd.v1alpha1.HostCertificates;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.etcd.agent.EtcdAgentJobs;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The etcd snapshot node Jobs on a real node: with the chart's {@code etcdSnapshots.enabled}, an
 * EtcdSnapshot in node mode makes the operator start a Job pinned to the node, on the host network,
 * with the node's etcd client certificate and the snapshot directory mounted from the host; it
 * snapshots the node's own etcd (the one under the node's apiserver, TLS with client certificates)
 * into that directory. The file, its sha256 sidecar and the snapshot inside are checked on the
 * host, with etcd's own {@code etcdutl}.
 */
class RealNodeEtcdSnapshotIT {
  @RegisterExtension static final RealNode NODE = new RealNode();

  private static final String SNAPSHOT = "e2e-node-etcd";
  private static final String NAME = "e2e-node-snapshot";

  private static KubernetesClient client;
  private static OperatorRelease release;
  private static Path work;

  @BeforeAll
  static void setUp() throws Exception {
    client = NODE.adminClient();
    release = new OperatorRelease(NODE, client);
    work = Files.createTempDirectory("bro-e2e-etcd-");
    release.install();
  }

  @AfterAll
  static void tearDown() {
    if (client != null) {
      client.resources(EtcdSnapshot.class).withName(SNAPSHOT).delete();
      client.close();
    }
    TestFiles.deleteRecursively(work);
  }

  @Test
  void aJobPinnedToTheNodeSnapshotsTheNodesEtcdIntoTheHostDirectory() throws Exception {
    phase(
        "helm upgrade to etcdSnapshots.enabled=true",
        () -> {
          release.upgrade(true, "etcdSnapshots.enabled=true");
          for (Pod pod : release.awaitPods()) {
            assertThat(pod.getSpec().getContainers().get(0).getEnv())
                .as("the operator Pod %s runs the etcd snapshot controllers", pod)
                .contains(new EnvVar("ETCD_SNAPSHOTS_ENABLED", "true", null));
          }
        });
    String node = NODE.nodeName();
    Path directory = NODE.etcdSnapshotDirectory();
    Job job =
        phase(
            "an EtcdSnapshot in node mode: the agent Job",
            () -> {
              client.resources(EtcdSnapshot.class).resource(etcdSnapshot(node, directory)).create();
              return await()
                  .atMost(OperatorRelease.TIMEOUT)
                  .pollInterval(Duration.ofSeconds(1))
                  .until(
                      () ->
                          client
                              .batch()
                              .v1()
                              .jobs()
                              .inNamespace(OperatorRelease.NAMESPACE)
                              .withLabel(EtcdAgentJobs.SNAPSHOT_LABEL, SNAPSHOT)
                              .list()
                              .getItems(),
                      jobs -> jobs.size() == 1)
                  .get(0);
            });
    PodSpec spec = job.getSpec().getTemplate().getSpec();
    assertThat(spec.getHostNetwork()).as("host network").isTrue();
    assertThat(
            spec.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchFields())
        .as("pinned to the node by name")
        .anySatisfy(
            field -> {
              assertThat(field.getKey()).isEqualTo("metadata.name");
              assertThat(field.getValues()).containsExactly(node);
            });
    Path pki = NODE.etcdPki();
    assertThat(spec.getVolumes().stream().map(Volume::getHostPath).filter(h -> h != null))
        .as("host paths: the client certificate and the snapshot directory")
        .extracting(h -> h.getPath())
        .contains(
            pki.resolve("ca.crt").toString(),
            pki.resolve("client.crt").toString(),
            pki.resolve("client.key").toString(),
            directory.toString());

    EtcdSnapshot done =
        phase("the snapshot taken (EtcdSnapshot Ready)", RealNodeEtcdSnapshotIT::awaitReady);
    log(
        "EtcdSnapshot "
            + SNAPSHOT
            + ": "
            + Conditions.message(done.getStatus().getConditions(), "Ready"));
    assertThat(done.getStatus().getLastSnapshotName()).isEqualTo(NAME);
    Pod agent =
        client
            .pods()
            .inNamespace(OperatorRelease.NAMESPACE)
            .withLabel("job-name", job.getMetadata().getName())
            .list()
            .getItems()
            .get(0);
    assertThat(agent.getSpec().getNodeName()).as("the agent Pod ran on the node").isEqualTo(node);
    assertThat(agent.getStatus().getPhase()).isEqualTo("Succeeded");

    // On the host: the zip, its sidecar in sha256sum format, and an etcd snapshot inside.
    Path zip = directory.resolve(NAME + ".zip");
    assertThat(zip).as("the snapshot on the host").isRegularFile();
    String sha256 = sha256(zip);
    assertThat(Files.readString(directory.resolve(NAME + ".zip.sha256")))
        .as("the sha256 sidecar")
        .isEqualTo(sha256 + "  " + NAME + ".zip\n");
    Path db = work.resolve(NAME + ".db");
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      ZipEntry entry = archive.getEntry(NAME);
      assertThat(entry).as("the etcd snapshot entry %s in %s", NAME, zip).isNotNull();
      try (InputStream in = archive.getInputStream(entry)) {
        Files.copy(in, db);
      }
    }
    String status =
        HostCommand.run(
                List.of(
                    NODE.controlPlaneBinary("etcdutl"),
                    "snapshot",
                    "status",
                    db.toString(),
                    "-w",
                    "json"),
                Map.of(),
                null,
                Duration.ofMinutes(1),
                null)
            .orFail();
    log("etcdutl snapshot status: " + status.strip());
    Map<?, ?> etcdutl =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(status.substring(status.indexOf('{')), Map.class);
    long revision = ((Number) etcdutl.get("revision")).longValue();
    assertThat(((Number) etcdutl.get("totalKey")).longValue())
        .as("keys of the node's etcd in the snapshot (the cluster's objects)")
        .isGreaterThan(100);

    // The inventory: one EtcdSnapshotFile for the node's copy.
    List<EtcdSnapshotFile> files =
        client.resources(EtcdSnapshotFile.class).list().getItems().stream()
            .filter(f -> SNAPSHOT.equals(f.getSpec().getSnapshotRef()))
            .toList();
    assertThat(files).as("EtcdSnapshotFiles of %s", SNAPSHOT).hasSize(1);
    EtcdSnapshotFile file = files.get(0);
    assertThat(file.getSpec().getNodeName()).isEqualTo(node);
    assertThat(file.getSpec().getLocation()).isEqualTo(zip.toUri().toString());
    assertThat(file.getStatus().getReadyToUse()).isTrue();
    assertThat(file.getStatus().getSha256()).as("the file's sha256").isEqualTo(sha256);
    assertThat(file.getStatus().getSize()).isEqualTo(Files.size(zip));
    assertThat(file.getStatus().getEtcd().getRevision())
        .as("the health check's revision, at most the snapshot's own (%s)", revision)
        .isPositive()
        .isLessThanOrEqualTo(revision);
  }

  private static EtcdSnapshot etcdSnapshot(String node, Path directory) {
    // The node's etcd is on 12379 with its certificates in a layout of its own: the CR's explicit
    // settings, not a preset.
    Path pki = NODE.etcdPki();
    HostCertificates certs = new HostCertificates();
    certs.setCaFile(pki.resolve("ca.crt").toString());
    certs.setCertFile(pki.resolve("client.crt").toString());
    certs.setKeyFile(pki.resolve("client.key").toString());
    EtcdAccess etcd = new EtcdAccess();
    etcd.setMode("Node");
    etcd.setDistribution("custom");
    etcd.setHostCerts(certs);
    etcd.setEndpoints(List.of(NODE.etcdEndpoint()));
    etcd.setSnapshotDir(directory.toString());
    EtcdSnapshotSpec spec = new EtcdSnapshotSpec();
    spec.setSnapshotName(NAME);
    spec.setEtcd(etcd);
    spec.setNodeSelector(Map.of("kubernetes.io/hostname", hostnameLabel(node)));
    spec.setTimeoutSeconds(120);
    spec.setHealthRetries(2);
    spec.setHealthRetryIntervalSeconds(5);
    EtcdSnapshot snapshot = new EtcdSnapshot();
    snapshot.setMetadata(new ObjectMetaBuilder().withName(SNAPSHOT).build());
    snapshot.setSpec(spec);
    return snapshot;
  }

  private static String hostnameLabel(String node) {
    return client
        .nodes()
        .withName(node)
        .get()
        .getMetadata()
        .getLabels()
        .get("kubernetes.io/hostname");
  }

  /** Ready=True, or the assertion names the failure the status reports. */
  private static EtcdSnapshot awaitReady() {
    await()
        .atMost(OperatorRelease.TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              EtcdSnapshot current = client.resources(EtcdSnapshot.class).withName(SNAPSHOT).get();
              List<Condition> conditions =
                  current.getStatus() == null ? null : current.getStatus().getConditions();
              Condition ready = Conditions.find(conditions, Conditions.READY);
              assertThat(ready)
                  .as("Ready of EtcdSnapshot %s (conditions %s)", SNAPSHOT, describe(conditions))
                  .isNotNull()
                  .extracting(Condition::getStatus)
                  .isEqualTo("True");
            });
    return client.resources(EtcdSnapshot.class).withName(SNAPSHOT).get();
  }

  private static String describe(List<Condition> conditions) {
    return conditions == null
        ? "none"
        : conditions.stream()
            .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getMessage() + ")")
            .toList()
            .toString();
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}

package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.cli.etcd.EtcdRestoreCommand;
import dev.backuprestore.etcd.EtcdHealthCheck;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.MemberSnapshotter;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotRequest;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.testing.ControlPlaneBinaries;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole cluster: snapshot the etcd of a real kube-apiserver, create more objects, stop
 * kube-apiserver and etcd, restore etcd with the {@code etcd-restore} command, start both again →
 * what was created after the snapshot is gone, what existed before is back, the operator's CRs read
 * fine, and {@code verify} passes.
 */
class ClusterEtcdRestoreIT {
  private static final String NAME = "rke_etcd_snapshot_2026-12-01T12:00:00Z";
  private static LocalControlPlane plane;

  @BeforeAll
  static void startControlPlane() {
    plane = LocalControlPlane.start(List.of());
    OperatorHarness.installCrds(plane.client());
  }

  @AfterAll
  static void stopControlPlane() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void objectsCreatedAfterTheSnapshotAreGoneAndEarlierOnesAreBack() throws Exception {
    KubernetesClient client = plane.client();
    client.configMaps().inNamespace("default").resource(configMap("before-snapshot")).create();
    ResourceSet set = new ResourceSet();
    set.getMetadata().setName("etcd-restore-it");
    client.resources(ResourceSet.class).resource(set).create();
    Backup backup = new Backup();
    backup.getMetadata().setName("nightly");
    BackupSpec spec = new BackupSpec();
    spec.setResourceSetName("etcd-restore-it");
    backup.setSpec(spec);
    client.resources(Backup.class).resource(backup).create();

    Path snapshots = Files.createTempDirectory("cluster-etcd-snapshots");
    Path zip = snapshot(snapshots);
    String sha256 = SnapshotArchiveReader.fileSha256(zip);
    recordSnapshotFile("local-" + "snapshot-1", zip, sha256);

    // While the cluster is up: fetch and verify by EtcdSnapshotFile name (its recorded sha256).
    Run prepare =
        run(
            "prepare",
            "--snapshot-file=local-snapshot-1",
            "--kubeconfig=" + plane.kubeconfig(),
            "--work-dir=" + snapshots.resolve("work"));
    assertThat(prepare.code).as(prepare.err).isZero();
    assertThat(prepare.out).startsWith(sha256 + "  " + NAME + ".zip");
    assertThat(prepare.err).contains("EtcdSnapshotFile local-snapshot-1 status.sha256");

    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("after-snapshot")
                .endMetadata()
                .build())
        .create();
    client.configMaps().inNamespace("default").resource(configMap("after-snapshot")).create();
    client.configMaps().inNamespace("default").withName("before-snapshot").delete();
    client.resources(Backup.class).withName("nightly").delete();

    plane.stopServers();
    Run restore =
        run(
            "run",
            "--snapshot=" + zip,
            "--name=default",
            "--data-dir=" + plane.etcdDataDir(),
            "--work-dir=" + snapshots.resolve("work"),
            "--etcdutl=" + ControlPlaneBinaries.locate().etcdutl());
    assertThat(restore.code).as(restore.err).isZero();
    plane.startServers();

    try (KubernetesClient fresh =
        new KubernetesClientBuilder().withConfig(plane.adminConfig()).build()) {
      assertThat(fresh.configMaps().inNamespace("default").withName("before-snapshot").get())
          .isNotNull();
      assertThat(fresh.configMaps().inNamespace("default").withName("after-snapshot").get())
          .isNull();
      assertThat(fresh.namespaces().withName("after-snapshot").get()).isNull();
      Backup restored = fresh.resources(Backup.class).withName("nightly").get();
      assertThat(restored).isNotNull();
      assertThat(restored.getSpec().getResourceSetName()).isEqualTo("etcd-restore-it");
      assertThat(fresh.resources(ResourceSet.class).withName("etcd-restore-it").get()).isNotNull();
    }
    Run verify =
        run(
            "verify",
            "--snapshot=" + zip,
            "--work-dir=" + snapshots.resolve("verify"),
            "--endpoints=" + plane.etcdClientUrl());
    // The apiserver writes (leases, events) after it starts: the revision check allows that.
    assertThat(verify.code).as(verify.out + verify.err).isZero();
    assertThat(verify.out)
        .contains("PASS members")
        .contains("PASS kv-hash")
        .contains("RESULT: PASS");
  }

  /**
   * The inventory record the operator keeps for a local copy. The project's CRD when crds/ has it,
   * else a schema-less stand-in with the same group, kind and fields the command reads.
   */
  private static void recordSnapshotFile(String name, Path zip, String sha256) {
    KubernetesClient client = plane.client();
    String crdName = "etcdsnapshotfiles.etcd.backuprestore.dev";
    if (client.apiextensions().v1().customResourceDefinitions().withName(crdName).get() == null) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                  .withNewMetadata()
                  .withName(crdName)
                  .endMetadata()
                  .withNewSpec()
                  .withGroup("etcd.backuprestore.dev")
                  .withScope("Cluster")
                  .withNewNames()
                  .withKind("EtcdSnapshotFile")
                  .withPlural("etcdsnapshotfiles")
                  .withSingular("etcdsnapshotfile")
                  .endNames()
                  .addNewVersion()
                  .withName("v1alpha1")
                  .withServed(true)
                  .withStorage(true)
                  .withNewSchema()
                  .withNewOpenAPIV3Schema()
                  .withType("object")
                  .withXKubernetesPreserveUnknownFields(true)
                  .endOpenAPIV3Schema()
                  .endSchema()
                  .endVersion()
                  .endSpec()
                  .build())
          .create();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  client
                          .genericKubernetesResources(
                              "etcd.backuprestore.dev/v1alpha1", "EtcdSnapshotFile")
                          .list()
                      != null);
    }
    GenericKubernetesResource file = new GenericKubernetesResource();
    file.setApiVersion("etcd.backuprestore.dev/v1alpha1");
    file.setKind("EtcdSnapshotFile");
    file.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    file.setAdditionalProperty(
        "spec",
        Map.of(
            "snapshotName",
            NAME + ".zip",
            "nodeName",
            "local",
            "location",
            zip.toUri().toString()));
    var resources =
        client.genericKubernetesResources("etcd.backuprestore.dev/v1alpha1", "EtcdSnapshotFile");
    GenericKubernetesResource created = resources.resource(file).create();
    created.setAdditionalProperty("status", Map.of("readyToUse", true, "sha256", sha256));
    // With the project's CRD, status is a subresource; with the stand-in, a plain field.
    try {
      resources.resource(created).updateStatus();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      resources.resource(created).update();
    }
  }

  private static Path snapshot(Path dir) throws Exception {
    EtcdConnector connector = EtcdConnector.plain();
    HealthReport health =
        new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG)
            .check(List.of(plane.etcdClientUrl()));
    assertThat(health.healthy()).as(health.summary()).isTrue();
    new MemberSnapshotter(connector, Clock.systemUTC(), "test")
        .snapshot(
            new SnapshotRequest(
                NAME,
                plane.etcdClientUrl(),
                "local",
                new SnapshotDirectory(dir),
                true,
                null,
                0,
                0,
                null,
                null),
            health);
    Path zip = dir.resolve(NAME + ".zip");
    try (SnapshotArchiveReader reader = SnapshotArchiveReader.open(zip, null)) {
      assertThat(reader.state().orElseThrow().etcd().members())
          .singleElement()
          .satisfies(m -> assertThat(m.peerURLs()).containsExactly(plane.etcdPeerUrl()));
    }
    return zip;
  }

  private static io.fabric8.kubernetes.api.model.ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(Map.of("created", name))
        .build();
  }

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EtcdRestoreCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }
}

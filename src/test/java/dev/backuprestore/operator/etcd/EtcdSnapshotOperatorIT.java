package dev.backuprestore.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.etcd.v1alpha1.EtcdAccess;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFile;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotRetention;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotSpec;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.testing.ControlPlaneBinaries;
import dev.backuprestore.testing.S3ProxyServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Operator mode against the test kube-apiserver's own etcd: the operator checks it, snapshots it,
 * uploads it to a real S3 server and records the inventory.
 */
class EtcdSnapshotOperatorIT {
  static final String BUCKET = "etcd";
  static EtcdOperatorFixture fixture;
  static S3ProxyServer s3;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    fixture = new EtcdOperatorFixture("example.invalid/bro:test");
    fixture.s3CredentialSecret("s3-creds");
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
    s3.close();
  }

  private static EtcdSnapshot snapshot(String name, String folder, String schedule) {
    EtcdSnapshot snapshot = new EtcdSnapshot();
    snapshot.setMetadata(new ObjectMetaBuilder().withName(name).build());
    EtcdSnapshotSpec spec = new EtcdSnapshotSpec();
    spec.setSchedule(schedule);
    EtcdAccess access = new EtcdAccess();
    access.setMode("Operator");
    access.setEndpoints(List.of(fixture.plane.etcdUrl()));
    spec.setEtcd(access);
    S3ObjectStore store = new S3ObjectStore();
    store.setBucketName(BUCKET);
    store.setEndpoint(s3.endpoint());
    store.setFolder(folder);
    store.setCredentialSecretName("s3-creds");
    store.setCredentialSecretNamespace(EtcdOperatorFixture.NAMESPACE);
    StorageLocation location = new StorageLocation();
    location.setS3(store);
    spec.setStorageLocation(location);
    snapshot.setSpec(spec);
    return snapshot;
  }

  private static List<EtcdSnapshotFile> files(String owner) {
    return fixture
        .client
        .resources(EtcdSnapshotFile.class)
        .withLabel(EtcdSnapshotFile.SNAPSHOT_LABEL, owner)
        .list()
        .getItems();
  }

  @Test
  void theApiServersOwnEtcdIsSnapshottedIntoS3WithAnInventoryRecord() throws Exception {
    fixture
        .client
        .configMaps()
        .inNamespace(EtcdOperatorFixture.NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("before-the-snapshot")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .serverSideApply();
    EtcdSnapshot one = snapshot("one-time", "one", null);
    one.getSpec().setSnapshotName("before-upgrade");
    fixture.client.resource(one).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              EtcdSnapshot current =
                  fixture.client.resources(EtcdSnapshot.class).withName("one-time").get();
              assertThat(current.getStatus()).isNotNull();
              assertThat(current.getStatus().getLastSnapshotName()).isEqualTo("before-upgrade");
            });
    EtcdSnapshot done = fixture.client.resources(EtcdSnapshot.class).withName("one-time").get();
    assertThat(EtcdConditions.find(done.getStatus().getConditions(), "Ready").getStatus())
        .isEqualTo("True");
    assertThat(EtcdConditions.find(done.getStatus().getConditions(), "Ready").getMessage())
        .contains("Snapshot before-upgrade of member default");
    assertThat(done.getStatus().getMembers()).hasSize(1);
    assertThat(done.getStatus().getMembers().get(0).getHealthy()).isTrue();
    assertThat(done.getStatus().getObservedGeneration())
        .isEqualTo(done.getMetadata().getGeneration());
    assertThat(s3.objectKeys(BUCKET).stream().filter(k -> k.startsWith("one/")))
        .containsExactlyInAnyOrder("one/before-upgrade.zip", "one/before-upgrade.zip.sha256");

    List<EtcdSnapshotFile> files = files("one-time");
    assertThat(files).hasSize(1);
    EtcdSnapshotFile file = files.get(0);
    assertThat(file.getSpec().getNodeName()).isEqualTo("s3");
    assertThat(file.getSpec().getLocation()).isEqualTo("s3://etcd/one/before-upgrade.zip");
    assertThat(file.getStatus().getReadyToUse()).isTrue();
    assertThat(file.getStatus().getEtcd().getMember()).isEqualTo("default");
    assertThat(file.getStatus().getEtcd().getRevision()).isPositive();
    assertThat(file.getStatus().getSha256())
        .isEqualTo(s3.userMetadata(BUCKET, "one/before-upgrade.zip").get("sha256"));

    // The zip is valid, holds the state file, and etcdutl accepts the snapshot.
    Path zip = work.resolve("before-upgrade.zip");
    try (S3Client client = s3Client();
        InputStream in = client.getObject(r -> r.bucket(BUCKET).key("one/before-upgrade.zip"))) {
      Files.copy(in, zip);
    }
    try (SnapshotArchiveReader reader =
        SnapshotArchiveReader.open(zip, file.getStatus().getSha256())) {
      ClusterState state = reader.state().orElseThrow();
      assertThat(state.etcd().revision()).isEqualTo(file.getStatus().getEtcd().getRevision());
      assertThat(state.etcd().hashKV()).isEqualTo(file.getStatus().getEtcd().getHashKV());
      Path db = work.resolve("db");
      reader.extractSnapshot(db);
      Process etcdutl =
          new ProcessBuilder(
                  ControlPlaneBinaries.locate().etcdutl().toString(),
                  "snapshot",
                  "status",
                  db.toString(),
                  "-w",
                  "json")
              .redirectErrorStream(true)
              .start();
      String out = new String(etcdutl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(etcdutl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(etcdutl.exitValue()).as(out).isZero();
      assertThat(out).contains("\"revision\":" + state.etcd().revision());
    }
  }

  @Test
  void aRecurringSnapshotKeepsTheNewestInS3() {
    EtcdSnapshot recurring = snapshot("recurring", "rec", "@every 2s");
    EtcdSnapshotRetention retention = new EtcdSnapshotRetention();
    retention.setS3(2);
    recurring.getSpec().setRetention(retention);
    fixture.client.resource(recurring).create();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> countRuns("recurring") >= 3);
    List<String> zips =
        s3.objectKeys(BUCKET).stream()
            .filter(k -> k.startsWith("rec/") && k.endsWith(".zip"))
            .toList();
    assertThat(zips)
        .hasSize(2)
        .allMatch(k -> k.matches("rec/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ_etcd\\.zip"));
    assertThat(
            fixture.registry.scrape().stream()
                .map(m -> m.getMetadata().getName())
                .filter(n -> n.startsWith("bro_etcd_")))
        .contains("bro_etcd_snapshot_save_duration_seconds", "bro_etcd_member_healthy");

    // The inventory is rebuilt from S3: records deleted (as an etcd restore would roll them back)
    // come back on the next run, and there is one per object that retention kept.
    fixture
        .client
        .resources(EtcdSnapshotFile.class)
        .withLabel(EtcdSnapshotFile.SNAPSHOT_LABEL, "recurring")
        .delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(files("recurring"))
                    .extracting(f -> f.getSpec().getLocation())
                    .hasSize(2)
                    .allMatch(l -> l.startsWith("s3://etcd/rec/")));
    fixture.client.resource(recurring).delete();
  }

  private static long countRuns(String name) {
    return fixture.client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "EtcdSnapshotCreated".equals(e.getReason()))
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .mapToLong(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }

  private static S3Client s3Client() {
    return S3Client.builder()
        .endpointOverride(s3.uri())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
        .build();
  }
}

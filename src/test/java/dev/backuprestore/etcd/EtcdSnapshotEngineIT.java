package dev.backuprestore.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.etcd.EtcdTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot engine against a real 3-member etcd with mTLS and a real S3 server. */
class EtcdSnapshotEngineIT {
  @RegisterExtension static EtcdTestCluster etcd = EtcdTestCluster.members(3);
  static S3ProxyServer s3;
  static final String BUCKET = "etcd-snapshots";
  @TempDir Path work;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    for (int i = 0; i < 200; i++) {
      etcd.put(i % 3, "/registry/test/key-" + i, ("value-" + i).repeat(50).getBytes());
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  private static EtcdConnector connector(EtcdConnector.SnapshotTransport transport) {
    return new EtcdConnector(etcd.clientTls(), Duration.ofSeconds(10), transport);
  }

  private static S3Store store(String folder) {
    return new S3Store(
        S3Location.builder(BUCKET)
            .endpoint(s3.endpoint())
            .folder(folder)
            .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
            .useHttps(false)
            .build());
  }

  @Test
  void aHealthyClusterIsSnapshottedOnEveryMemberAndUploadedOnce() throws Exception {
    EtcdConnector connector = connector(EtcdConnector.SnapshotTransport.AUTO);
    HealthReport health =
        new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG)
            .check(etcd.clientUrls());
    assertThat(health.problems()).isEmpty();
    assertThat(health.members()).hasSize(3);
    assertThat(health.revision()).isGreaterThan(200);
    assertThat(health.leaderId()).isNotZero();

    Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    String name = SnapshotNames.oneTime(clock.instant(), ZoneOffset.ofHours(2), false);
    MemberSnapshotter snapshotter = new MemberSnapshotter(connector, clock, "test");
    List<SnapshotOutcome> outcomes = new ArrayList<>();
    try (S3Store store = store("cluster-a")) {
      for (int i = 0; i < 3; i++) {
        SnapshotDirectory dir = new SnapshotDirectory(work.resolve("node-" + i));
        outcomes.add(
            snapshotter.snapshot(
                new SnapshotRequest(
                    name,
                    etcd.member(i).clientUrl(),
                    "node-" + i,
                    dir,
                    true,
                    i == 0 ? store : null,
                    0,
                    0,
                    new ClusterState.Kubernetes("v1.34.4", "kubeadm", List.of()),
                    Map.of("purpose", "test")),
                health));
      }
    }
    assertThat(outcomes).extracting(SnapshotOutcome::member).containsExactly("m1", "m2", "m3");
    assertThat(outcomes).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
    assertThat(outcomes).extracting(SnapshotOutcome::hashKV).containsOnly(health.hashKV());
    assertThat(s3.objectKeys(BUCKET))
        .containsExactlyInAnyOrder(
            "cluster-a/" + name + ".zip", "cluster-a/" + name + ".zip.sha256");
    assertThat(s3.userMetadata(BUCKET, "cluster-a/" + name + ".zip"))
        .containsEntry("sha256", outcomes.get(0).sha256())
        .containsEntry("etcd-member", "m1")
        .containsEntry("node-name", "node-0");

    for (int i = 0; i < 3; i++) {
      Path zip = work.resolve("node-" + i).resolve(name + ".zip");
      assertThat(Files.readString(work.resolve("node-" + i).resolve(name + ".zip.sha256")))
          .isEqualTo(outcomes.get(i).sha256() + "  " + name + ".zip\n");
      try (SnapshotArchiveReader reader =
          SnapshotArchiveReader.open(zip, outcomes.get(i).sha256())) {
        ClusterState state = reader.state().orElseThrow();
        assertThat(state.etcd().members())
            .extracting(ClusterState.Member::name)
            .containsExactlyInAnyOrder("m1", "m2", "m3");
        assertThat(state.etcd().sourceMember().name()).isEqualTo("m" + (i + 1));
        assertThat(state.etcd().revision()).isEqualTo(health.revision());
        assertThat(state.etcd().hashKV()).isEqualTo(health.hashKV());
        assertThat(state.etcd().version()).isEqualTo("3.6.6");
        assertThat(state.kubernetes().distribution()).isEqualTo("kubeadm");
        Path db = work.resolve("db-" + i);
        SnapshotTrailer.Verified verified = reader.extractSnapshot(db);
        assertThat(verified.trailerSha256()).isEqualTo(state.etcd().dbSha256());
        String status = etcdutl("snapshot", "status", db.toString(), "-w", "json");
        assertThat(status).contains("\"revision\":").contains("\"totalKey\":");
      }
    }
  }

  @Test
  void theGatewayAndGrpcStreamsBothGiveValidSnapshots() throws Exception {
    for (EtcdConnector.SnapshotTransport transport :
        new EtcdConnector.SnapshotTransport[] {
          EtcdConnector.SnapshotTransport.GATEWAY, EtcdConnector.SnapshotTransport.GRPC
        }) {
      Path file = work.resolve(transport + ".db");
      try (var out = Files.newOutputStream(file)) {
        connector(transport).connect(etcd.member(1).clientUrl()).snapshot(out);
      }
      assertThat(SnapshotTrailer.verify(file, transport.name()).size() % 512).isEqualTo(32);
    }
  }

  @Test
  void aStoppedMemberMakesTheClusterUnhealthyAndNamesIt() throws Exception {
    etcd.stop(2);
    try {
      EtcdConnector connector = connector(EtcdConnector.SnapshotTransport.AUTO);
      HealthReport health =
          new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG)
              .check(etcd.clientUrls());
      assertThat(health.healthy()).isFalse();
      assertThat(health.problems())
          .anySatisfy(
              p -> {
                assertThat(p.member()).isEqualTo("m3");
                assertThat(p.reason()).isEqualTo(HealthProblem.UNREACHABLE);
              });
      assertThat(health.summary()).contains("member m3: etcd " + etcd.member(2).clientUrl());
      SnapshotDirectory dir = new SnapshotDirectory(work.resolve("refused"));
      assertThatThrownBy(
              () ->
                  new MemberSnapshotter(connector, Clock.systemUTC(), "test")
                      .snapshot(
                          new SnapshotRequest(
                              "refused",
                              etcd.member(0).clientUrl(),
                              "",
                              dir,
                              true,
                              null,
                              0,
                              0,
                              null,
                              null),
                          health))
          .isInstanceOf(EtcdException.class)
          .hasMessageContaining("unhealthy cluster")
          .hasMessageContaining("member m3");
      assertThat(dir.path()).doesNotExist();
    } finally {
      etcd.restart(2);
    }
  }

  static String etcdutl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(etcd.binaries().etcdutl().toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}

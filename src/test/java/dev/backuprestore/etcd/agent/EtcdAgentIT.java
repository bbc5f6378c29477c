package dev.backuprestore.etcd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotNames;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.etcd.EtcdTestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent run in-process once per member, each with its own directory standing in for the
 * node's {@code /opt/rke/etcd-snapshots}; m1 is the designated uploader into a real S3 server.
 */
class EtcdAgentIT {
  @RegisterExtension static EtcdTestCluster etcd = EtcdTestCluster.members(3);
  static S3ProxyServer s3;
  static final String BUCKET = "snapshots";
  @TempDir Path hosts;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    etcd.put(0, "/registry/configmaps/default/a", "x".repeat(1000).getBytes());
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  private Map<String, String> env(int member, String name, String folder) {
    Map<String, String> env = new HashMap<>();
    env.put("SNAPSHOT_NAME", name);
    env.put("ETCD_ENDPOINT", etcd.member(member).clientUrl());
    env.put("ETCD_HEALTH_ENDPOINTS", String.join(",", etcd.clientUrls()));
    env.put("ETCD_CACERT", etcd.caFile().toString());
    env.put("ETCD_CERT", etcd.clientCertFile().toString());
    env.put("ETCD_KEY", etcd.clientKeyFile().toString());
    env.put("NODE_NAME", "node-" + (member + 1));
    env.put("SNAPSHOT_DIR", hosts.resolve("node-" + (member + 1)).toString());
    env.put("LOCAL_RETENTION", "2");
    env.put("S3_RETENTION", "3");
    env.put("HEALTH_RETRIES", "1");
    env.put("HEALTH_RETRY_INTERVAL_SECONDS", "15");
    env.put("DISTRIBUTION", "rke2");
    if (member == 0) {
      env.put("S3_BUCKET", BUCKET);
      env.put("S3_ENDPOINT", s3.endpoint());
      env.put("S3_FOLDER", folder);
      env.put("S3_USE_HTTP", "true");
      env.put("S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY);
      env.put("S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
    }
    return env;
  }

  private List<SnapshotOutcome> runAll(Instant at, String folder, EtcdAgent.Sleeper sleeper) {
    String name = SnapshotNames.recurring(at, false);
    List<SnapshotOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AgentConfig config = AgentConfig.from(env(i, name, folder), new String[0]);
      outcomes.add(new EtcdAgent(config, sleeper, Clock.fixed(at, ZoneOffset.UTC), "test").run());
    }
    return outcomes;
  }

  private List<String> local(int member) throws Exception {
    List<String> names = new ArrayList<>();
    new SnapshotDirectory(hosts.resolve("node-" + member)).list().forEach(s -> names.add(s.name()));
    return names;
  }

  @Test
  void recurringRunsKeepLocalCopiesPerNodeAndS3ApartAndAFailedRunPushesNothingOut()
      throws Exception {
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    EtcdAgent.Sleeper noSleep = d -> {};
    for (int run = 0; run < 4; run++) {
      List<SnapshotOutcome> outcomes =
          runAll(start.plus(Duration.ofHours(12L * run)), "r", noSleep);
      assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
      assertThat(outcomes.get(0).s3FileName()).isNotNull();
      assertThat(outcomes.get(1).s3FileName()).isNull();
    }
    List<String> newestTwo = List.of("2026-12-02T12:00:00Z_etcd", "2026-12-02T00:00:00Z_etcd");
    for (int node = 1; node <= 3; node++) {
      assertThat(local(node)).containsExactlyInAnyOrderElementsOf(newestTwo);
    }
    assertThat(s3.objectKeys(BUCKET).stream().filter(k -> k.endsWith(".zip")))
        .containsExactlyInAnyOrder(
            "r/2026-12-01T12:00:00Z_etcd.zip",
            "r/2026-12-02T00:00:00Z_etcd.zip",
            "r/2026-12-02T12:00:00Z_etcd.zip");

    // A failed run (a member down) writes nothing and deletes nothing.
    etcd.stop(2);
    try {
      List<SnapshotOutcome> failed = runAll(start.plus(Duration.ofDays(3)), "r", noSleep);
      assertThat(failed)
          .allSatisfy(
              o -> {
                assertThat(o.succeeded()).isFalse();
                assertThat(o.reason()).isEqualTo("MemberUnreachable");
                assertThat(o.error()).contains("member m3");
              });
    } finally {
      etcd.restart(2);
    }
    for (int node = 1; node <= 3; node++) {
      assertThat(local(node)).containsExactlyInAnyOrderElementsOf(newestTwo);
    }
    assertThat(s3.objectKeys(BUCKET).stream().filter(k -> k.endsWith(".zip"))).hasSize(3);
  }

  @Test
  void theHealthCheckIsRetriedAndSucceedsOnceTheMemberIsBack() throws Exception {
    etcd.stop(1);
    AtomicInteger sleeps = new AtomicInteger();
    EtcdAgent.Sleeper restartOnFirstSleep =
        d -> {
          assertThat(d).isEqualTo(Duration.ofSeconds(15));
          if (sleeps.getAndIncrement() == 0) {
            try {
              etcd.restart(1);
            } catch (java.io.IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    String name = "before-upgrade";
    AgentConfig config = AgentConfig.from(env(0, name, "retry"), new String[0]);
    SnapshotOutcome outcome =
        new EtcdAgent(config, restartOnFirstSleep, Clock.systemUTC(), "test").run();
    assertThat(outcome.error()).isNull();
    assertThat(sleeps).hasValue(1);
    assertThat(outcome.member()).isEqualTo("m1");
    assertThat(s3.objectKeys(BUCKET)).contains("retry/before-upgrade.zip");
    assertThat(SnapshotOutcome.fromJson(outcome.toJson())).isEqualTo(outcome);
    assertThat(outcome.toJson().length()).isLessThan(4096);
  }
}

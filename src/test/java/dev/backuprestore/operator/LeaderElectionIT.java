package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.FaultProxy;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.Workloads;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two operator processes with leader election, as the chart runs them: only the leader works; when
 * it is killed the other takes over, a recurring schedule runs once per tick (no run twice, no
 * catch-up burst) and a restore in progress is finished once.
 */
class LeaderElectionIT {
  private static final String SYSTEM = "leader-election-system";
  private static final String DATA = "leader-election-data";
  private static final String BIG = "leader-election-big";
  private static final String BUCKET = "leader-election";
  private static final Pattern ARCHIVE_TIME =
      Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z)\\.tar\\.gz$");

  @RegisterExtension
  static final OperatorExtension FIRST = OperatorExtension.asProcess(SYSTEM).withLeaderElection();

  @RegisterExtension
  static final OperatorExtension SECOND = OperatorExtension.asProcess(SYSTEM).withLeaderElection();

  private static S3ProxyServer s3;
  private static KubernetesClient client;
  private static BackupFixtures fixtures;
  private static BackupRestoreClient crs;

  @BeforeAll
  static void data() throws Exception {
    s3 = S3ProxyServer.http();
    s3.createBucket(BUCKET);
    client = FIRST.client();
    fixtures = new BackupFixtures(client, "leader-election");
    crs = new BackupRestoreClient(client, "leader-election");
    fixtures.namespace(DATA);
    fixtures.configMap(DATA, "only", Map.of("k", "v"));
    fixtures.s3CredentialSecret(SYSTEM, "s3-creds");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    crs.deleteAll();
    fixtures.cleanUp();
    client.namespaces().withName(DATA).delete();
    client.namespaces().withName(BIG).delete();
    s3.close();
  }

  @Test
  void aRecurringScheduleRunsOncePerTickAcrossAFailover() {
    fixtures.resourceSet(
        "leader-schedule",
        List.of(selector("v1", List.of("configmaps"), List.of(DATA))),
        List.of());
    fixtures.createBackup(
        "leader-every",
        "leader-schedule",
        spec -> {
          spec.setSchedule("@every 5s");
          spec.setRetentionCount(100L);
          spec.setStorageLocation(BackupFixtures.s3(s3, BUCKET, SYSTEM, "s3-creds"));
          spec.getStorageLocation().getS3().setFolder("schedule");
        });
    OperatorExtension leader = awaitLeader();
    OperatorExtension standby = leader == FIRST ? SECOND : FIRST;
    await().atMost(Duration.ofSeconds(40)).until(() -> archiveTimes().size() >= 2);

    leader.kill();
    int beforeFailover = archiveTimes().size();
    await().atMost(Duration.ofSeconds(60)).until(standby::isLeader);
    await().atMost(Duration.ofSeconds(40)).until(() -> archiveTimes().size() >= beforeFailover + 3);
    leader.start(); // back as the standby

    List<Instant> times = archiveTimes();
    for (int i = 1; i < times.size(); i++) {
      // @every 5s counts from the end of a run: two runs of one tick would be closer.
      assertThat(Duration.between(times.get(i - 1), times.get(i)))
          .as("gap between archives %s and %s", times.get(i - 1), times.get(i))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    }
    assertThat(standby.log()).contains("Backup leader-every completed");
    assertThat(leader.log()).doesNotContain("Backup leader-every");
  }

  @Test
  void aRestoreInProgressIsFinishedOnceByTheNewLeader() {
    client
        .apps()
        .deployments()
        .inNamespace(DATA)
        .resource(Workloads.deployment(DATA, "leader-controller", 2))
        .create();
    ControllerReference controller = new ControllerReference();
    controller.setApiVersion("apps/v1");
    controller.setResource("deployments");
    controller.setNamespace(DATA);
    controller.setName("leader-controller");
    fixtures.resourceSet(
        "leader-restore",
        List.of(selector("v1", List.of("configmaps"), List.of(DATA))),
        List.of(controller));
    String file =
        crs.backUp(
            "leader-restore",
            "leader-restore",
            spec -> spec.setStorageLocation(BackupFixtures.s3(s3, BUCKET, SYSTEM, "s3-creds")));
    client
        .configMaps()
        .inNamespace(DATA)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("leader-held")
                .withNamespace(DATA)
                .withFinalizers("test.backuprestore.dev/hold")
                .endMetadata()
                .build())
        .create();
    OperatorExtension leader = awaitLeader();
    OperatorExtension standby = leader == FIRST ? SECOND : FIRST;

    crs.createRestore(
        "leader-restore",
        file,
        spec -> {
          spec.setPrune(true);
          spec.setDeleteTimeoutSeconds(10);
          spec.setStorageLocation(BackupFixtures.s3(s3, BUCKET, SYSTEM, "s3-creds"));
        });
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                            .apps()
                            .deployments()
                            .inNamespace(DATA)
                            .withName("leader-controller")
                            .get()
                            .getSpec()
                            .getReplicas()
                        == 0
                    && client
                            .configMaps()
                            .inNamespace(DATA)
                            .withName("leader-held")
                            .get()
                            .getMetadata()
                            .getDeletionTimestamp()
                        != null);
    leader.kill();

    Restore done = crs.awaitCompleted("leader-restore");
    leader.start();
    assertThat(standby.isLeader()).isTrue();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(DATA)
                .withName("leader-controller")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
    assertThat(crs.events(done, "Normal"))
        .filteredOn(e -> e.getReason().equals("RestoreCompleted"))
        .hasSize(1);
    assertThat(client.configMaps().inNamespace(DATA).withName("leader-held").get()).isNull();
  }

  /**
   * helm upgrade SIGTERMs both old Pods while they are idle: each must exit at once, not after the
   * 120 s termination timeout (nor the chart's 150 s grace period), and the standby must take over
   * quickly. The exit itself is the barrier: terminate() waits for it, bounded well under 120 s.
   */
  @Test
  void anIdleStandbyAndAnIdleLeaderExitPromptlyOnSigterm() {
    Duration wellBeforeTheTerminationTimeout = Duration.ofSeconds(30);
    assertThat(wellBeforeTheTerminationTimeout)
        .isLessThan(OperatorRuntime.TERMINATION_TIMEOUT.dividedBy(2));
    OperatorExtension leader = awaitLeader();
    OperatorExtension standby = leader == FIRST ? SECOND : FIRST;

    long standbyStart = System.nanoTime();
    int standbyExit = standby.terminate(wellBeforeTheTerminationTimeout);
    Duration standbyTook = Duration.ofNanos(System.nanoTime() - standbyStart);
    assertThat(standbyExit).as("the standby's exit code").isEqualTo(143);
    assertThat(standby.log())
        .doesNotContain("became the leader")
        .doesNotContain("released the leader Lease");
    standby.start();

    long leaderStart = System.nanoTime();
    int leaderExit = leader.terminate(wellBeforeTheTerminationTimeout);
    Duration leaderTook = Duration.ofNanos(System.nanoTime() - leaderStart);
    assertThat(leaderExit).as("the leader's exit code").isEqualTo(143);
    // The leader gives the Lease up on its way out: the standby takes it at its next retry (2 s),
    // not after the 15 s lease duration it would otherwise wait for.
    assertThat(leader.log()).contains("released the leader Lease");
    long takeOverStart = System.nanoTime();
    await()
        .atMost(OperatorRuntime.LEASE_DURATION.minusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(standby::isLeader);
    Duration takeOver = Duration.ofNanos(System.nanoTime() - takeOverStart);
    System.out.printf(
        "idle SIGTERM: standby exited in %d ms, leader in %d ms, new leader after %d ms%n",
        standbyTook.toMillis(), leaderTook.toMillis(), takeOver.toMillis());
    leader.start(); // back as the standby
    assertThat(awaitLeader()).isSameAs(standby);
  }

  /**
   * A leader SIGTERMed mid-backup keeps the Lease while it drains: the SDK shuts down the executors
   * fabric8 renews through before it stops the elector, so without our own renewals the standby
   * would take over 15 s into the drain while the old leader still writes. S3 is slowed through a
   * FaultProxy so the backup outlasts the lease duration by far.
   */
  @Test
  void aDrainingLeaderKeepsTheLeaseUntilItHasExited() throws Exception {
    fixtures.namespace(BIG);
    // About 5 MB of incompressible data, uploaded at ~130 KB/s: a backup of well over 15 s.
    SecureRandom random = new SecureRandom();
    IntStream.range(0, 24)
        .parallel()
        .forEach(
            i -> {
              byte[] noise = new byte[200 * 1024];
              random.nextBytes(noise);
              fixtures.configMap(
                  BIG, "big-" + i, Map.of("noise", Base64.getEncoder().encodeToString(noise)));
            });
    fixtures.resourceSet(
        "leader-drain", List.of(selector("v1", List.of("configmaps"), List.of(BIG))), List.of());
    OperatorExtension leader = awaitLeader();
    OperatorExtension standby = leader == FIRST ? SECOND : FIRST;
    String leaderIdentity = leader.identity();
    try (FaultProxy slowS3 = FaultProxy.start(s3.uri().getPort()).delayEachChunk(120)) {
      Backup created =
          fixtures.createBackup(
              "leader-drain",
              "leader-drain",
              spec -> {
                spec.setStorageLocation(BackupFixtures.s3(s3, BUCKET, SYSTEM, "s3-creds"));
                spec.getStorageLocation().getS3().setEndpoint(slowS3.endpoint());
                spec.getStorageLocation().getS3().setFolder("drain");
              });
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> slowS3.upstreamBytes() > 256 * 1024);

      long drainStart = System.nanoTime();
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(() -> leader.terminate(Duration.ofSeconds(110)));
      List<String> holdersWhileDraining = new ArrayList<>();
      while (!exit.isDone()) {
        holdersWhileDraining.add(leaseHolder());
        assertThat(standby.isLeader())
            .as("the standby leads while the old leader drains")
            .isFalse();
        Thread.sleep(200);
      }
      Duration drain = Duration.ofNanos(System.nanoTime() - drainStart);
      assertThat(exit.get()).as("the leader's exit code").isEqualTo(143);
      assertThat(drain)
          .as("the drain outlasted the lease")
          .isGreaterThan(OperatorRuntime.LEASE_DURATION.plusSeconds(5));
      assertThat(holdersWhileDraining).isNotEmpty().containsOnly(leaderIdentity);
      assertThat(BackupFixtures.message(fixtures.backup("leader-drain"), "Ready"))
          .isEqualTo("Completed");

      await().atMost(Duration.ofSeconds(30)).until(standby::isLeader);
      System.out.printf(
          "draining SIGTERM: leader exited after %d ms holding the Lease throughout%n",
          drain.toMillis());
      leader.start(); // back as the standby
      assertThat(fixtures.events(created, "BackupCompleted")).hasSize(1);
      assertThat(s3.objectKeys(BUCKET)).filteredOn(key -> key.startsWith("drain/")).hasSize(1);
    }
  }

  private static String leaseHolder() {
    Lease lease = client.leases().inNamespace(SYSTEM).withName(OperatorConfig.LEADER_LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static OperatorExtension awaitLeader() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> FIRST.isLeader() || SECOND.isLeader());
    assertThat(FIRST.isLeader() && SECOND.isLeader()).as("two leaders").isFalse();
    return FIRST.isLeader() ? FIRST : SECOND;
  }

  /** The times in the names of the schedule's archives, oldest first. */
  private static List<Instant> archiveTimes() {
    List<Instant> times = new ArrayList<>();
    for (String key : s3.objectKeys(BUCKET)) {
      Matcher matcher = ARCHIVE_TIME.matcher(key);
      if (key.startsWith("schedule/") && matcher.find()) {
        times.add(
            Instant.from(
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ssX").parse(matcher.group(1))));
      }
    }
    times.sort(null);
    return times;
  }
}

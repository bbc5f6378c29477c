package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.cli.etcd.EtcdRestoreCommand;
import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.EtcdHealthCheck;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.MemberSnapshotter;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotRequest;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.testing.etcd.EtcdTestCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The restore command on a real 3-member etcd with mutual TLS: snapshot (the node agent's {@link
 * MemberSnapshotter}), a marker key written afterwards, every refusal with the data directories
 * untouched, a restore killed mid-way, then the restore of all three members → every key as at
 * snapshot time, the marker gone, revision and KV hash as recorded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdRestoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "rke_etcd_snapshot_2026-12-01T10:00:00Z";
  private static final int KEYS = 200;

  @RegisterExtension static EtcdTestCluster etcd = EtcdTestCluster.members(3);

  private static Path snapshots;
  private static Path zip;
  private static Path otherNodesZip;
  private static ClusterState state;

  @BeforeAll
  static void snapshotThenMarker() throws Exception {
    byte[] value = new byte[64 * 1024];
    for (int i = 0; i < KEYS; i++) {
      Arrays.fill(value, (byte) i);
      etcd.put(i % 3, "/test/key-" + i, value);
    }
    snapshots = etcd.workDir().resolve("snapshots");
    zip = snapshot(0, snapshots);
    // The same revision from another member: a valid snapshot, but other bytes.
    otherNodesZip = snapshot(1, snapshots.resolve("m2"));
    try (SnapshotArchiveReader reader = SnapshotArchiveReader.open(zip, null)) {
      state = reader.state().orElseThrow();
    }
    etcd.put(0, "/test/marker-after-snapshot", "later".getBytes());
  }

  @Test
  @Order(1)
  void refusesWhileEtcdRunsOnTheDataDirectory() throws Exception {
    Map<String, String> before = fingerprint(etcd.member(0).dataDir());

    Run run = restore(0, List.of());

    assertThat(run.code).as(run.err).isEqualTo(3);
    assertThat(run.err)
        .contains("REFUSED (etcd running)")
        .contains("etcd still runs on data directory " + etcd.member(0).dataDir())
        .contains("lock");
    assertThat(fingerprint(etcd.member(0).dataDir())).isEqualTo(before);
  }

  @Test
  @Order(2)
  void refusesBadSnapshotsAndMembersWithTheDataDirectoryUntouched() throws Exception {
    for (int i = 0; i < 3; i++) {
      etcd.stop(i);
    }
    Path dataDir = etcd.member(0).dataDir();
    Map<String, String> before = fingerprint(dataDir);
    Path bad = Files.createDirectories(etcd.workDir().resolve("bad"));

    Path corrupt = copyWithSidecar(zip, bad.resolve("corrupt"));
    byte[] bytes = Files.readAllBytes(corrupt);
    bytes[bytes.length / 3] ^= 0x01;
    Files.write(corrupt, bytes);
    assertRefused(
        restore(0, corrupt, List.of()), "(verify)", "has sha256", "was recorded in sidecar");

    Path truncated = Files.createDirectories(bad.resolve("truncated")).resolve(NAME + ".zip");
    byte[] whole = Files.readAllBytes(zip);
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    assertRefused(
        restore(0, truncated, List.of("--allow-unrecorded-checksum")),
        "(verify)",
        "snapshot zip " + NAME + ".zip",
        "truncated or corrupt");

    byte[] db = extractedDb();
    Path hostile = Files.createDirectories(bad.resolve("hostile")).resolve(NAME + ".zip");
    writeZip(
        hostile, Map.of(NAME, db, "../../../etc/cron.d/evil", "* * * * * root true\n".getBytes()));
    assertRefused(
        restore(0, hostile, List.of("--allow-unrecorded-checksum")),
        "(verify)",
        "entry '../../../etc/cron.d/evil'");

    Path noTrailer = Files.createDirectories(bad.resolve("notrailer")).resolve(NAME + ".zip");
    writeZip(noTrailer, Map.of(NAME, Arrays.copyOf(db, db.length - 32)));
    assertRefused(
        restore(0, noTrailer, List.of("--allow-unrecorded-checksum")), "(verify)", "entry " + NAME);

    String firstNodes = SnapshotArchiveReader.fileSha256(zip);
    assertRefused(
        restore(1, otherNodesZip, List.of("--expect-sha256", firstNodes)),
        "(verify)",
        "but " + firstNodes + " was recorded in --expect-sha256");

    List<String> wrongMembers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      wrongMembers.add("--member");
      wrongMembers.add(
          etcd.member(i).name()
              + "="
              + (i == 2 ? "https://127.0.0.1:1" : etcd.member(i).peerUrl()));
    }
    assertRefused(
        restore(0, zip, wrongMembers),
        "(members)",
        "do not match the snapshot's state file",
        "member m3 has peer URL https://127.0.0.1:1");

    assertThat(fingerprint(dataDir)).isEqualTo(before);
    assertThat(siblings(dataDir)).containsExactly(dataDir.getFileName().toString());
  }

  @Test
  @Order(3)
  void aRestoreKilledMidWayLeavesTheDataDirectoryUntouched() throws Exception {
    Path dataDir = etcd.member(0).dataDir();
    Map<String, String> before = fingerprint(dataDir);
    // The real etcdutl, then a pause before returning: the kill lands after etcdutl wrote the
    // restore directory and before the swap, the window a crash or a closed SSH session hits.
    Path reached = etcd.workDir().resolve("etcdutl-done");
    Path slowEtcdutl = etcd.workDir().resolve("slow-etcdutl.sh");
    Files.writeString(
        slowEtcdutl,
        "#!/bin/sh\n\""
            + etcd.binaries().etcdutl()
            + "\" \"$@\" || exit $?\ncase \"$*\" in *restore*) touch \""
            + reached
            + "\"; sleep 120;; esac\n");
    Files.setPosixFilePermissions(slowEtcdutl, PosixFilePermissions.fromString("rwx------"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EtcdRestoreCommand.class.getName());
    command.addAll(restoreArgs(0, zip, List.of()));
    command.add("--etcdutl=" + slowEtcdutl);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(etcd.workDir().resolve("killed-restore.log").toFile())
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(reached) || !process.isAlive());
    assertThat(process.isAlive())
        .as(Files.readString(etcd.workDir().resolve("killed-restore.log")))
        .isTrue();
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    assertThat(fingerprint(dataDir)).isEqualTo(before);
    assertThat(siblings(dataDir))
        .hasSize(2)
        .contains(dataDir.getFileName().toString())
        .anyMatch(name -> name.startsWith(dataDir.getFileName() + ".restore-"));
  }

  @Test
  @Order(4)
  void restoresEveryMemberFromTheSameSnapshotAndTheRerunCleansUp() throws Exception {
    String sha256 = SnapshotArchiveReader.fileSha256(zip);
    for (int i = 0; i < 3; i++) {
      Run run = restore(i, zip, List.of("--expect-sha256", sha256));
      assertThat(run.code).as(run.err).isZero();
      assertThat(run.out).contains("sha256:        " + sha256 + "  " + NAME + ".zip");
      if (i == 0) {
        assertThat(run.err).contains("removed the leftover of an earlier run");
      }
      Path dataDir = etcd.member(i).dataDir();
      assertThat(siblings(dataDir))
          .hasSize(2)
          .contains(dataDir.getFileName().toString())
          .anyMatch(name -> name.startsWith(dataDir.getFileName() + "-old-"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .isEqualTo("rwx------");
    }
    startAll();

    for (int i = 0; i < 3; i++) {
      assertThat(count(i, "/test/key-")).isEqualTo(KEYS);
      assertThat(count(i, "/test/marker-after-snapshot")).isZero();
      JsonNode range = range(i, "/test/key-7");
      assertThat(range.path("header").path("revision").asLong()).isEqualTo(state.etcd().revision());
      byte[] expected = new byte[64 * 1024];
      Arrays.fill(expected, (byte) 7);
      assertThat(Base64.getDecoder().decode(range.path("kvs").get(0).path("value").asText()))
          .isEqualTo(expected);
      JsonNode hash =
          JSON.readTree(
              etcd.post(
                      i, "/v3/maintenance/hashkv", "{\"revision\":" + state.etcd().revision() + "}")
                  .body());
      assertThat(hash.path("hash").asLong() & 0xffffffffL).isEqualTo(state.etcd().hashKV());
    }
    JsonNode members = JSON.readTree(etcd.post(0, "/v3/cluster/member/list", "{}").body());
    assertThat(members.path("members").findValuesAsText("name"))
        .containsExactlyInAnyOrder("m1", "m2", "m3");

    Run verify = command(verifyArgs());
    assertThat(verify.code).as(verify.out + verify.err).isZero();
    assertThat(verify.out)
        .contains("PASS health")
        .contains("PASS members")
        .contains("PASS revision: expected " + state.etcd().revision())
        .contains("PASS kv-hash: recorded " + state.etcd().hashKV())
        .contains("RESULT: PASS");
  }

  @Test
  @Order(5)
  void verifyFailsWhenTheMembersAreNotTheExpectedOnes() {
    List<String> args = new ArrayList<>(verifyArgs());
    args.addAll(
        List.of("--member=m1=" + etcd.member(0).peerUrl(), "--member=m9=https://127.0.0.1:9"));

    Run run = command(args);

    assertThat(run.code).as(run.err).isEqualTo(1);
    assertThat(run.out).contains("PASS health").contains("FAIL members").contains("RESULT: FAIL");
  }

  @Test
  @Order(6)
  void aRestoreWithABumpedRevisionMarksTheOldRevisionsCompacted() throws Exception {
    for (int i = 0; i < 3; i++) {
      etcd.stop(i);
    }
    long bump = 1_000_000;
    for (int i = 0; i < 3; i++) {
      Run run = restore(i, zip, List.of("--bump-revision=" + bump, "--mark-compacted"));
      assertThat(run.code).as(run.err).isZero();
    }
    startAll();

    List<String> args = new ArrayList<>(verifyArgs());
    args.add("--bump-revision=" + bump);
    Run verify = command(args);
    assertThat(verify.code).as(verify.out + verify.err).isZero();
    assertThat(verify.out).contains("PASS revision: expected " + (state.etcd().revision() + bump));
    assertThat(count(1, "/test/key-")).isEqualTo(KEYS);
    String old =
        etcd.post(
                1,
                "/v3/kv/range",
                "{\"key\":\"L3Rlc3Qva2V5LTc=\",\"revision\":" + state.etcd().revision() + "}")
            .body();
    assertThat(old).contains("compacted");
  }

  // --- helpers ---------------------------------------------------------------------------

  /** A snapshot of member {@code index} as the node agent takes it (health check first). */
  private static Path snapshot(int index, Path dir) throws Exception {
    EtcdConnector connector =
        new EtcdConnector(
            etcd.clientTls(), Duration.ofSeconds(10), EtcdConnector.SnapshotTransport.AUTO);
    HealthReport health =
        new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG)
            .check(etcd.clientUrls());
    Files.createDirectories(dir);
    new MemberSnapshotter(connector, Clock.systemUTC(), "test")
        .snapshot(
            new SnapshotRequest(
                NAME,
                etcd.member(index).clientUrl(),
                "node-" + (index + 1),
                new SnapshotDirectory(dir),
                true,
                null,
                0,
                0,
                null,
                null),
            health);
    return dir.resolve(NAME + ".zip");
  }

  private static List<String> verifyArgs() {
    return new ArrayList<>(
        List.of(
            "verify",
            "--snapshot=" + zip,
            "--work-dir=" + etcd.workDir().resolve("verify-work"),
            "--cacert=" + etcd.caFile(),
            "--cert=" + etcd.clientCertFile(),
            "--key=" + etcd.clientKeyFile()));
  }

  private static Run command(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EtcdRestoreCommand.execute(
            args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** Starts every member at once: a restored member serves /health only once it has quorum. */
  static void startAll() throws Exception {
    List<java.util.concurrent.CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int index = i;
      starts.add(
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                try {
                  etcd.restart(index);
                } catch (Exception e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              }));
    }
    for (var start : starts) {
      start.get(90, TimeUnit.SECONDS);
    }
  }

  record Run(int code, String out, String err) {}

  private static Run restore(int member, List<String> extra) {
    return restore(member, zip, extra);
  }

  private static Run restore(int member, Path snapshot, List<String> extra) {
    List<String> args = new ArrayList<>(restoreArgs(member, snapshot, extra));
    args.add("--etcdutl=" + etcd.binaries().etcdutl());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EtcdRestoreCommand.execute(
            args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private static List<String> restoreArgs(int member, Path snapshot, List<String> extra) {
    List<String> args = new ArrayList<>();
    args.add("run");
    args.add("--snapshot=" + snapshot);
    args.add("--name=" + etcd.member(member).name());
    args.add("--data-dir=" + etcd.member(member).dataDir());
    args.add("--work-dir=" + etcd.workDir().resolve("restore-work-" + member));
    args.addAll(extra);
    return args;
  }

  private static void assertRefused(Run run, String... messages) {
    assertThat(run.code).as(run.err).isEqualTo(3);
    assertThat(run.err).contains("REFUSED").contains(messages);
  }

  private static Path copyWithSidecar(Path source, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path copy = dir.resolve(source.getFileName());
    Files.copy(source, copy);
    Files.copy(
        source.resolveSibling(source.getFileName() + ".sha256"),
        dir.resolve(source.getFileName() + ".sha256"));
    return copy;
  }

  private static byte[] extractedDb() throws IOException {
    Path db = etcd.workDir().resolve("extracted.db");
    try (SnapshotArchiveReader reader = SnapshotArchiveReader.open(zip, null)) {
      reader.extractSnapshot(db);
    }
    return Files.readAllBytes(db);
  }

  private static void writeZip(Path target, Map<String, byte[]> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (var entry : new TreeMap<>(entries).descendingMap().entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
  }

  /** Relative path → sha256 of every file under {@code dir}: "untouched" means equal maps. */
  static Map<String, String> fingerprint(Path dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.filter(Files::isRegularFile).toList()) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        files.put(
            dir.relativize(path).toString(),
            HexFormat.of().formatHex(digest.digest(Files.readAllBytes(path))));
      }
    }
    return files;
  }

  private static List<String> siblings(Path dataDir) throws IOException {
    String base = dataDir.getFileName().toString();
    try (Stream<Path> entries = Files.list(dataDir.getParent())) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(
              n ->
                  n.equals(base)
                      || n.startsWith(base + ".restore-")
                      || n.startsWith(base + "-old-"))
          .sorted()
          .toList();
    }
  }

  private static long count(int member, String prefix) throws Exception {
    byte[] key = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] end = key.clone();
    end[end.length - 1]++;
    String body =
        "{\"key\":\""
            + Base64.getEncoder().encodeToString(key)
            + "\",\"range_end\":\""
            + Base64.getEncoder().encodeToString(end)
            + "\",\"count_only\":true}";
    return JSON.readTree(etcd.post(member, "/v3/kv/range", body).body()).path("count").asLong(0);
  }

  private static JsonNode range(int member, String key) throws Exception {
    String body =
        "{\"key\":\""
            + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
            + "\"}";
    return JSON.readTree(etcd.post(member, "/v3/kv/range", body).body());
  }
}

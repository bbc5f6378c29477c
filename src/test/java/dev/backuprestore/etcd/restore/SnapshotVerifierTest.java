package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.etcd.SnapshotArchiveWriter;
import dev.backuprestore.etcd.SnapshotDirectory;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks before anything is touched, on synthetic snapshots (the IT uses real ones). */
class SnapshotVerifierTest {
  private static final String NAME = "rke_etcd_snapshot_2026-12-01T10:00:00Z";
  @TempDir Path dir;
  private final SnapshotVerifier verifier = new SnapshotVerifier();
  private final SnapshotFetcher fetcher = new SnapshotFetcher();

  static byte[] snapshotBytes(int pages) throws Exception {
    byte[] body = new byte[pages * 4096];
    new Random(pages).nextBytes(body);
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
    byte[] file = Arrays.copyOf(body, body.length + digest.length);
    System.arraycopy(digest, 0, file, body.length, digest.length);
    return file;
  }

  private Path zip(byte[] snapshot, String dbSha256) throws Exception {
    Path zip = dir.resolve(NAME + ".zip");
    try (OutputStream out = Files.newOutputStream(zip)) {
      SnapshotArchiveWriter writer = new SnapshotArchiveWriter(out, NAME);
      try (OutputStream db = writer.snapshotStream()) {
        db.write(snapshot);
      }
      writer.finishSnapshot();
      writer.finish(state(dbSha256));
    }
    Files.writeString(
        dir.resolve(NAME + ".zip.sha256"),
        SnapshotDirectory.sidecarLine(NAME, SnapshotArchiveReader.fileSha256(zip)));
    return zip;
  }

  private static ClusterState state(String dbSha256) {
    ClusterState.Member m1 =
        new ClusterState.Member(
            "m1", "1", List.of("https://127.0.0.1:2380"), List.of(), null, false);
    return new ClusterState(
        1,
        NAME,
        "2026-12-01T10:00:00Z",
        "test",
        new ClusterState.Etcd("c", "3.6.6", "3.6.0", m1, List.of(m1), 5, -1, 1, 0, dbSha256),
        null,
        Map.of());
  }

  private SnapshotVerifier.Verified verify(Path zip, List<ExpectedChecksum> given, boolean allow) {
    return verifier.verify(
        fetcher.fetch(new SnapshotSource.LocalFile(zip), dir), given, allow, dir.resolve("work"));
  }

  @Test
  void extractsTheDbAfterCheckingTheSidecarTheManifestAndTheTrailer() throws Exception {
    byte[] snapshot = snapshotBytes(4);
    Path zip = zip(snapshot, null);

    SnapshotVerifier.Verified verified = verify(zip, List.of(), false);

    assertThat(verified.zipSha256()).isEqualTo(SnapshotArchiveReader.fileSha256(zip));
    assertThat(verified.matched())
        .singleElement()
        .satisfies(c -> assertThat(c.recordedIn()).startsWith("sidecar "));
    assertThat(Files.readAllBytes(verified.db())).isEqualTo(snapshot);
    assertThat(verified.state()).isPresent();
  }

  @Test
  void oneChangedByteIsRefusedByTheRecordedSha256() throws Exception {
    Path zip = zip(snapshotBytes(4), null);
    byte[] bytes = Files.readAllBytes(zip);
    bytes[bytes.length / 2] ^= 1;
    Files.write(zip, bytes);

    assertThatThrownBy(() -> verify(zip, List.of(), false))
        .isInstanceOf(EtcdRestoreException.class)
        .hasMessageContaining("has sha256")
        .hasMessageContaining("was recorded in sidecar")
        .hasMessageContaining("nothing was touched");
    assertThat(dir.resolve("work/" + NAME + ".db")).doesNotExist();
  }

  @Test
  void aChecksumFromAnotherNodeThatDiffersIsRefused() throws Exception {
    Path zip = zip(snapshotBytes(4), null);
    String other =
        HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));

    assertThatThrownBy(
            () -> verify(zip, List.of(new ExpectedChecksum(other, "--expect-sha256")), false))
        .hasMessageContaining("but " + other + " was recorded in --expect-sha256");
  }

  @Test
  void noRecordedChecksumIsRefusedUnlessAllowed() throws Exception {
    Path zip = zip(snapshotBytes(2), null);
    Files.delete(dir.resolve(NAME + ".zip.sha256"));

    assertThatThrownBy(() -> verify(zip, List.of(), false))
        .hasMessageContaining("no sha256 was recorded")
        .hasMessageContaining("--expect-sha256");
    assertThat(verify(zip, List.of(), true).matched()).isEmpty();
  }

  @Test
  void aTruncatedZipIsRefused() throws Exception {
    Path zip = zip(snapshotBytes(4), null);
    byte[] bytes = Files.readAllBytes(zip);
    Files.write(zip, Arrays.copyOf(bytes, bytes.length - 100));

    assertThatThrownBy(() -> verify(zip, List.of(), true))
        .isInstanceOf(EtcdRestoreException.class)
        .hasMessageContaining("snapshot zip " + NAME + ".zip")
        .hasMessageContaining("nothing was touched");
  }

  @Test
  void aHostileEntryNameIsRefused() throws Exception {
    Path zip = dir.resolve(NAME + ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry(NAME));
      out.write(snapshotBytes(1));
      out.putNextEntry(new ZipEntry("../../etc/cron.d/evil"));
      out.write("* * * * * root true\n".getBytes());
    }

    assertThatThrownBy(() -> verify(zip, List.of(), true))
        .hasMessageContaining("entry '../../etc/cron.d/evil'")
        .hasMessageContaining("nothing was touched");
    assertThat(dir.getParent().resolve("etc")).doesNotExist();
  }

  @Test
  void aSnapshotWithoutItsTrailerIsRefused() throws Exception {
    Path zip = dir.resolve(NAME + ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry(NAME));
      out.write(Arrays.copyOf(snapshotBytes(2), 2 * 4096));
    }

    assertThatThrownBy(() -> verify(zip, List.of(), true))
        .isInstanceOf(EtcdRestoreException.class)
        .hasMessageContaining("entry " + NAME);
    assertThat(dir.resolve("work/" + NAME + ".db")).doesNotExist();
  }

  @Test
  void aStateFileOfAnotherSnapshotIsRefused() throws Exception {
    Path zip = zip(snapshotBytes(2), "00".repeat(32));

    assertThatThrownBy(() -> verify(zip, List.of(), false))
        .hasMessageContaining("but its state file recorded " + "00".repeat(32));
  }
}

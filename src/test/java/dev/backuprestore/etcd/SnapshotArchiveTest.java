package dev.backuprestore.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotArchiveTest {
  private static final String NAME = "rke_etcd_snapshot_2020-10-15T16:47:24+02:00";
  @TempDir Path dir;

  static ClusterState state(String name) {
    ClusterState.Member m1 =
        new ClusterState.Member(
            "m1",
            "8e9e05c52164694d",
            List.of("https://127.0.0.1:2380"),
            List.of("https://127.0.0.1:2379"),
            "cp-1",
            false);
    return new ClusterState(
        ClusterState.FORMAT_VERSION,
        name,
        "2020-10-15T14:47:24Z",
        "0.1.0",
        new ClusterState.Etcd(
            "cdf818194e3a8c32",
            "3.6.6",
            "3.6.0",
            m1,
            List.of(m1),
            1001,
            -1,
            4_000_000_000L,
            145465344,
            "ab"),
        new ClusterState.Kubernetes(
            "v1.34.4",
            "kubeadm",
            List.of(new ClusterState.Node("cp-1", "10.0.0.1", List.of("control-plane")))),
        Map.of("k", "v"));
  }

  private Path writeZip(byte[] snapshot) throws IOException {
    Path zip = dir.resolve(NAME + ".zip");
    try (OutputStream out = Files.newOutputStream(zip)) {
      SnapshotArchiveWriter writer = new SnapshotArchiveWriter(out, NAME);
      try (OutputStream db = writer.snapshotStream()) {
        db.write(snapshot);
      }
      writer.finishSnapshot();
      writer.finish(state(NAME));
    }
    return zip;
  }

  @Test
  void roundTrip() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(8, 7);
    Path zip = writeZip(snapshot);
    try (ZipFile plain = new ZipFile(zip.toFile())) {
      assertThat(plain.stream().map(ZipEntry::getName))
          .containsExactly(NAME, NAME + ".state.json", "manifest.json");
      assertThat(plain.stream().map(ZipEntry::getMethod)).containsOnly(ZipEntry.DEFLATED);
    }
    try (SnapshotArchiveReader reader = SnapshotArchiveReader.open(zip, null)) {
      assertThat(reader.snapshotName()).isEqualTo(NAME);
      assertThat(reader.hasManifest()).isTrue();
      assertThat(reader.state()).contains(state(NAME));
      assertThat(reader.zipSha256()).isEqualTo(SnapshotArchiveReader.fileSha256(zip));
      Path out = dir.resolve("db");
      SnapshotTrailer.Verified verified = reader.extractSnapshot(out);
      assertThat(Files.readAllBytes(out)).isEqualTo(snapshot);
      assertThat(verified.size()).isEqualTo(snapshot.length);
    }
    assertThat(new String(state(NAME).toJson(), StandardCharsets.UTF_8))
        .contains("\"hashKV\" : 4000000000")
        .doesNotContain("key");
  }

  @Test
  void anUncompressedZipHasTheSameLayoutAndReadsBack() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(8, 17);
    Path zip = dir.resolve("stored.zip");
    try (OutputStream out = Files.newOutputStream(zip)) {
      SnapshotArchiveWriter writer = new SnapshotArchiveWriter(out, NAME, false);
      try (OutputStream db = writer.snapshotStream()) {
        db.write(snapshot);
      }
      writer.finishSnapshot();
      writer.finish(state(NAME));
    }
    assertThat(Files.size(zip)).isGreaterThan(snapshot.length);
    try (ZipFile plain = new ZipFile(zip.toFile())) {
      assertThat(plain.stream().map(ZipEntry::getName))
          .containsExactly(NAME, NAME + ".state.json", "manifest.json");
    }
    try (SnapshotArchiveReader reader = SnapshotArchiveReader.open(zip, null)) {
      assertThat(reader.verifySnapshot().size()).isEqualTo(snapshot.length);
    }
  }

  @Test
  void aBadTrailerIsRefusedWhenWriting() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(2, 8);
    snapshot[100] ^= 1;
    SnapshotArchiveWriter writer = new SnapshotArchiveWriter(OutputStream.nullOutputStream(), NAME);
    writer.snapshotStream().write(snapshot);
    assertThatThrownBy(writer::finishSnapshot)
        .isInstanceOf(EtcdSnapshotFormatException.class)
        .hasMessageContaining("snapshot " + NAME + ": sha256 trailer mismatch");
    assertThatThrownBy(() -> writer.finish(state(NAME))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theExpectedSha256IsChecked() throws Exception {
    Path zip = writeZip(SnapshotFixtures.snapshot(2, 9));
    assertThatThrownBy(() -> SnapshotArchiveReader.open(zip, "00".repeat(32)))
        .isInstanceOf(EtcdSnapshotFormatException.class)
        .hasMessageContaining("differs from the expected");
    SnapshotArchiveReader.open(zip, SnapshotArchiveReader.fileSha256(zip).toUpperCase()).close();
  }

  @Test
  void aTruncatedZipIsRefused() throws Exception {
    Path zip = writeZip(SnapshotFixtures.snapshot(4, 10));
    byte[] bytes = Files.readAllBytes(zip);
    Path cut = Files.write(dir.resolve("cut.zip"), Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> SnapshotArchiveReader.open(cut, null))
        .isInstanceOf(EtcdSnapshotFormatException.class)
        .hasMessageContaining("snapshot zip cut.zip: not a readable zip");
  }

  @Test
  void aTamperedStateEntryFailsTheManifest() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(2, 11);
    Path zip = dir.resolve("t.zip");
    String manifest =
        new String(
            new SnapshotManifest(
                    1,
                    List.of(
                        new SnapshotManifest.Entry(NAME, snapshot.length, sha(snapshot)),
                        new SnapshotManifest.Entry(NAME + ".state.json", 2, sha("{}".getBytes()))))
                .toJson(),
            StandardCharsets.UTF_8);
    rawZip(
        zip,
        Map.of(
            NAME,
            snapshot,
            NAME + ".state.json",
            state(NAME).toJson(),
            "manifest.json",
            manifest.getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> SnapshotArchiveReader.open(zip, null))
        .isInstanceOf(EtcdSnapshotFormatException.class)
        .hasMessageContaining("does not match manifest.json");
  }

  @Test
  void aCorruptSnapshotEntryFailsOnExtractAndLeavesNoFile() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(2, 12);
    snapshot[10] ^= 1;
    Path zip = dir.resolve("c.zip");
    rawZip(zip, Map.of("/backup/" + NAME, snapshot));
    try (SnapshotArchiveReader reader = SnapshotArchiveReader.open(zip, null)) {
      Path out = dir.resolve("db");
      assertThatThrownBy(() -> reader.extractSnapshot(out))
          .isInstanceOf(EtcdSnapshotFormatException.class)
          .hasMessageContaining("entry /backup/" + NAME + ": sha256 trailer mismatch");
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void rkeZipsWithAbsoluteNamesAreRead() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(2, 13);
    byte[] rkeState = "{\"desiredState\":{}}".getBytes(StandardCharsets.UTF_8);
    for (String prefix : new String[] {"/", ""}) {
      Path zip = dir.resolve("rke" + prefix.length() + ".zip");
      rawZip(
          zip,
          Map.of(
              prefix + "backup/" + NAME,
              snapshot,
              prefix + "etc/kubernetes/" + NAME + ".rkestate",
              rkeState));
      try (SnapshotArchiveReader reader = SnapshotArchiveReader.open(zip, null)) {
        assertThat(reader.snapshotName()).isEqualTo(NAME);
        assertThat(reader.hasManifest()).isFalse();
        assertThat(reader.state()).isEmpty();
        assertThat(reader.rkeState()).hasValue(rkeState);
        assertThat(reader.verifySnapshot().size()).isEqualTo(snapshot.length);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../" + NAME,
        "/etc/" + NAME,
        "/" + NAME,
        "backup/../" + NAME,
        "a\\" + NAME,
        "./" + NAME,
        "backup//" + NAME,
        "other/" + NAME,
        "x\u0001y"
      })
  void hostileEntryNamesAreRefused(String entry) throws Exception {
    Path zip = dir.resolve("h.zip");
    rawZip(zip, Map.of(entry, SnapshotFixtures.snapshot(1, 14)));
    assertThatThrownBy(() -> SnapshotArchiveReader.open(zip, null))
        .isInstanceOf(EtcdSnapshotFormatException.class)
        .hasMessageStartingWith("snapshot zip h.zip: entry '");
  }

  @Test
  void strayAndDoubleEntriesAreRefused() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(1, 15);
    Path stray = dir.resolve("s.zip");
    rawZip(stray, Map.of(NAME, snapshot, "other.state.json", "{}".getBytes()));
    assertThatThrownBy(() -> SnapshotArchiveReader.open(stray, null))
        .hasMessageContaining("does not belong to snapshot " + NAME);
    Path two = dir.resolve("two.zip");
    rawZip(two, Map.of(NAME, snapshot, "backup/" + NAME, snapshot));
    assertThatThrownBy(() -> SnapshotArchiveReader.open(two, null))
        .hasMessageContaining("second snapshot entry");
    Path none = dir.resolve("none.zip");
    rawZip(none, Map.of(NAME + ".state.json", state(NAME).toJson()));
    assertThatThrownBy(() -> SnapshotArchiveReader.open(none, null))
        .hasMessageContaining("holds no etcd snapshot entry");
  }

  @Test
  void duplicateNamesAndLinksAreRefused() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(1, 16);
    Path dup = dir.resolve("dup.zip");
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(dup)) {
      for (int i = 0; i < 2; i++) {
        out.putArchiveEntry(new ZipArchiveEntry(NAME));
        out.write(snapshot);
        out.closeArchiveEntry();
      }
    }
    assertThatThrownBy(() -> SnapshotArchiveReader.open(dup, null))
        .hasMessageContaining("appears more than once");
    Path link = dir.resolve("link.zip");
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(link)) {
      ZipArchiveEntry entry = new ZipArchiveEntry(NAME);
      entry.setUnixMode(0120777);
      out.putArchiveEntry(entry);
      out.write("/etc/shadow".getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> SnapshotArchiveReader.open(link, null))
        .hasMessageContaining("links are not allowed");
  }

  @Test
  void aMissingFileIsAFormatError() {
    assertThatThrownBy(() -> SnapshotArchiveReader.open(dir.resolve("nope.zip"), null))
        .isInstanceOf(EtcdSnapshotFormatException.class)
        .hasMessageContaining("no such file");
  }

  private static String sha(byte[] bytes) {
    return SnapshotArchiveWriter.sha256Hex(bytes);
  }

  private static void rawZip(Path zip, Map<String, byte[]> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
  }
}

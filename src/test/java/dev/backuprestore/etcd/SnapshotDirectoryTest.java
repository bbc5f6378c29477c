package dev.backuprestore.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDirectoryTest {
  private static final String NAME = "2020-10-15T14:53:26Z_etcd";
  @TempDir Path dir;

  @Test
  void aCommittedZipHasASidecarAndPrivateMode() throws Exception {
    SnapshotDirectory directory = new SnapshotDirectory(dir);
    byte[] snapshot = SnapshotFixtures.snapshot(2, 1);
    SnapshotDirectory.LocalSnapshot local;
    try (SnapshotDirectory.PendingZip pending = directory.create(NAME)) {
      SnapshotArchiveWriter writer = new SnapshotArchiveWriter(pending.stream(), NAME);
      try (OutputStream db = writer.snapshotStream()) {
        db.write(snapshot);
      }
      writer.finishSnapshot();
      writer.finish(SnapshotArchiveTest.state(NAME));
      local = pending.commit();
    }
    Path zip = dir.resolve(NAME + ".zip");
    assertThat(local.path()).isEqualTo(zip);
    assertThat(local.sha256()).contains(SnapshotArchiveReader.fileSha256(zip));
    assertThat(Files.readString(dir.resolve(NAME + ".zip.sha256")))
        .isEqualTo(local.sha256().orElseThrow() + "  " + NAME + ".zip\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zip)))
        .isEqualTo("rw-------");
    assertThat(directory.list())
        .extracting(SnapshotDirectory.LocalSnapshot::name)
        .containsExactly(NAME);
    try (var in = Files.list(dir)) {
      assertThat(in.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(NAME + ".zip", NAME + ".zip.sha256");
    }
    directory.delete(NAME);
    assertThat(directory.list()).isEmpty();
    assertThat(dir.resolve(NAME + ".zip.sha256")).doesNotExist();
  }

  @Test
  void anAbortedZipLeavesNothingAndPartialsAreNotListed() throws Exception {
    SnapshotDirectory directory = new SnapshotDirectory(dir);
    try (SnapshotDirectory.PendingZip pending = directory.create(NAME)) {
      pending.stream().write(new byte[] {1, 2, 3});
    }
    try (var in = Files.list(dir)) {
      assertThat(in).isEmpty();
    }
    Files.write(dir.resolve("." + NAME + ".zip.part"), new byte[] {1});
    Files.write(dir.resolve("notes.zip"), new byte[] {1});
    Files.write(dir.resolve("bad name.zip"), new byte[] {1});
    assertThat(directory.list())
        .extracting(SnapshotDirectory.LocalSnapshot::name)
        .containsExactly("notes");
  }

  @Test
  void sidecarsAreParsedStrictly() {
    String sha = "a".repeat(64);
    assertThat(SnapshotDirectory.parseSidecar(sha + "  " + NAME + ".zip\n", NAME)).contains(sha);
    assertThat(SnapshotDirectory.parseSidecar(sha + "  other.zip\n", NAME)).isEmpty();
    assertThat(SnapshotDirectory.parseSidecar("xyz  " + NAME + ".zip\n", NAME)).isEmpty();
  }

  @Test
  void retentionKeepsTheNewestRecurringOnly() {
    List<String> names =
        List.of(
            "2020-10-15T10:00:00Z_etcd.zip",
            "2020-10-15T12:00:00Z_etcd",
            "2020-10-15T11-00-00Z_etcd.zip",
            "2020-10-15T09:00:00Z_etcd1.zip",
            "rke_etcd_snapshot_2020-10-14T00:00:00Z",
            "before-upgrade");
    assertThat(SnapshotRetention.toDelete(names, 2)).containsExactly("2020-10-15T10:00:00Z_etcd");
    assertThat(SnapshotRetention.toDelete(names, 1))
        .containsExactly("2020-10-15T10:00:00Z_etcd", "2020-10-15T11-00-00Z_etcd");
    assertThat(SnapshotRetention.toDelete(names, 0)).isEmpty();
  }
}

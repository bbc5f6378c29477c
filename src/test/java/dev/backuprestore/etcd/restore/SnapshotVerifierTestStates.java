package dev.backuprestore.etcd.restore;

import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.SnapshotArchiveWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small state files for tests that need a zip but no etcd. */
public final class SnapshotVerifierTestStates {
  private SnapshotVerifierTestStates() {}

  static ClusterState oneMember(String name) {
    ClusterState.Member m1 =
        new ClusterState.Member(
            "m1", "1", List.of("https://127.0.0.1:2380"), List.of(), null, false);
    return new ClusterState(
        ClusterState.FORMAT_VERSION,
        name,
        "2026-12-01T10:00:00Z",
        "test",
        new ClusterState.Etcd("c", "3.6.6", "3.6.0", m1, List.of(m1), 5, -1, 1, 0, null),
        null,
        Map.of());
  }

  /** A valid snapshot zip {@code <name>.zip} in {@code dir} (pages × 4 KiB with the trailer). */
  public static Path writeZip(Path dir, String name, int pages) throws Exception {
    Path zip = dir.resolve(name + ".zip");
    try (OutputStream out = Files.newOutputStream(zip)) {
      SnapshotArchiveWriter writer = new SnapshotArchiveWriter(out, name);
      try (OutputStream db = writer.snapshotStream()) {
        db.write(SnapshotVerifierTest.snapshotBytes(pages));
      }
      writer.finishSnapshot();
      writer.finish(oneMember(name));
    }
    return zip;
  }
}

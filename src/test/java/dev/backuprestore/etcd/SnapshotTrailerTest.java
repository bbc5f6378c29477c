package dev.backuprestore.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTrailerTest {
  @TempDir Path dir;

  @Test
  void aGoodSnapshotVerifies() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(5, 1);
    Path file = Files.write(dir.resolve("db"), snapshot);
    SnapshotTrailer.Verified verified = SnapshotTrailer.verify(file, "db");
    assertThat(verified.size()).isEqualTo(snapshot.length);
    assertThat(verified.trailerSha256())
        .isEqualTo(
            HexFormat.of()
                .formatHex(Arrays.copyOfRange(snapshot, snapshot.length - 32, snapshot.length)));
    assertThat(verified.fileSha256())
        .isEqualTo(HexFormat.of().formatHex(SnapshotTrailer.sha256().digest(snapshot)));
  }

  @Test
  void chunkSizesDoNotMatter() {
    byte[] snapshot = SnapshotFixtures.snapshot(3, 2);
    for (int chunk : new int[] {1, 7, 31, 32, 33, 4096, 70000}) {
      SnapshotTrailer.Check check = new SnapshotTrailer.Check("db");
      for (int i = 0; i < snapshot.length; i += chunk) {
        check.update(snapshot, i, Math.min(chunk, snapshot.length - i));
      }
      assertThat(check.finish().size()).as("chunk %d", chunk).isEqualTo(snapshot.length);
    }
  }

  @Test
  void aCorruptLastByteIsRejected() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(2, 3);
    snapshot[snapshot.length - 1] ^= 1;
    Path file = Files.write(dir.resolve("db"), snapshot);
    assertThatThrownBy(() -> SnapshotTrailer.verify(file, "snapshot x"))
        .isInstanceOf(EtcdSnapshotFormatException.class)
        .hasMessageContaining("snapshot x: sha256 trailer mismatch");
  }

  @Test
  void aCorruptMiddleByteIsRejected() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(2, 4);
    snapshot[4000] ^= 1;
    Path file = Files.write(dir.resolve("db"), snapshot);
    assertThatThrownBy(() -> SnapshotTrailer.verify(file, "db"))
        .hasMessageContaining("trailer mismatch");
  }

  @Test
  void aMissingTrailerIsRejected() throws Exception {
    byte[] snapshot = SnapshotFixtures.snapshot(2, 5);
    Path file = Files.write(dir.resolve("db"), Arrays.copyOf(snapshot, snapshot.length - 32));
    assertThatThrownBy(() -> SnapshotTrailer.verify(file, "db"))
        .hasMessageContaining("no sha256 trailer");
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertThatThrownBy(() -> SnapshotTrailer.verify(empty, "db"))
        .hasMessageContaining("no sha256 trailer");
  }
}

package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock-table and port parts of the check; EtcdRestoreIT runs it against a real etcd. */
class EtcdRunningCheckTest {
  @TempDir Path dir;

  private Path dataDir() throws Exception {
    Path dataDir = dir.resolve("etcd");
    Files.createDirectories(dataDir.resolve("member/snap"));
    Files.createDirectories(dataDir.resolve("member/wal"));
    Files.writeString(dataDir.resolve("member/snap/db"), "db");
    Files.writeString(dataDir.resolve("member/wal/0000000000000000-0000000000000000.wal"), "wal");
    return dataDir;
  }

  @Test
  void aFlockOnTheDbInTheKernelsLockTableMeansRunning() throws Exception {
    Path dataDir = dataDir();
    String id = EtcdRunningCheck.kernelFileId(dataDir.resolve("member/snap/db"));
    Path locks = dir.resolve("locks");
    Files.writeString(
        locks,
        "1: POSIX  ADVISORY  WRITE 77 00:00:1 0 EOF\n"
            + "2: FLOCK  ADVISORY  WRITE 4021 "
            + id
            + " 0 EOF\n"
            + "2: -> FLOCK  ADVISORY  WRITE 4030 "
            + id
            + " 0 EOF\n");

    List<String> evidence = new EtcdRunningCheck(locks).evidence(dataDir, List.of());

    assertThat(evidence)
        .containsExactly(
            dataDir.resolve("member/snap/db") + " has a FLOCK lock held by process 4021");
  }

  @Test
  void aStoppedEtcdLeavesNoEvidence() throws Exception {
    Path dataDir = dataDir();
    Path locks = dir.resolve("locks");
    Files.writeString(locks, "1: FLOCK  ADVISORY  WRITE 12 fe:00:1 0 EOF\n");

    assertThat(
            new EtcdRunningCheck(locks)
                .evidence(dataDir, List.of(URI.create("http://127.0.0.1:1"))))
        .isEmpty();
    assertThat(new EtcdRunningCheck(locks).evidence(dir.resolve("fresh-node"), List.of()))
        .isEmpty();
  }

  @Test
  void somethingListeningOnThisMembersPortMeansRunning() throws Exception {
    Path dataDir = dataDir();
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      URI peer = URI.create("https://127.0.0.1:" + socket.getLocalPort());

      assertThatThrownBy(
              () ->
                  new EtcdRunningCheck(dir.resolve("no-locks"))
                      .requireStopped(dataDir, List.of(peer)))
          .isInstanceOf(EtcdRestoreException.class)
          .hasMessageContaining("something listens on 127.0.0.1:" + socket.getLocalPort())
          .hasMessageContaining("the data directory was not touched");
    }
  }

  @Test
  void deviceNumbersArePrintedAsTheKernelDoes() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    long ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();

    assertThat(EtcdRunningCheck.kernelFileId(file)).matches("[0-9a-f]{2,}:[0-9a-f]{2,}:" + ino);
  }
}

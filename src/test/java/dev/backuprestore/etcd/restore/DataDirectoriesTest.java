package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoriesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T11:45:07Z");
  @TempDir Path root;

  @Test
  void restoreAndOldDirectoriesAreDatedSiblings() {
    DataDirectories dirs = new DataDirectories(root.resolve("etcd"), NOW);

    assertThat(dirs.restoreDir()).isEqualTo(root.resolve("etcd.restore-20261201T114507Z"));
    assertThat(dirs.oldDir()).isEqualTo(root.resolve("etcd-old-20261201T114507Z"));
  }

  @Test
  void swapKeepsTheOldDirectoryAsideAndSetsMode0700() throws Exception {
    Path dataDir = Files.createDirectories(root.resolve("etcd/member/snap"));
    Files.writeString(dataDir.resolve("db"), "old");
    DataDirectories dirs = new DataDirectories(root.resolve("etcd"), NOW);
    Path restored = Files.createDirectories(dirs.restoreDir().resolve("member/snap"));
    Files.writeString(restored.resolve("db"), "new");

    Path old = dirs.swapIn(dirs.restoreDir(), null);

    assertThat(old).isEqualTo(dirs.oldDir());
    assertThat(Files.readString(old.resolve("member/snap/db"))).isEqualTo("old");
    assertThat(Files.readString(root.resolve("etcd/member/snap/db"))).isEqualTo("new");
    assertThat(Files.exists(dirs.restoreDir())).isFalse();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etcd"))))
        .isEqualTo("rwx------");
  }

  @Test
  void swapIntoAFreshNodeHasNoOldDirectory() throws Exception {
    DataDirectories dirs = new DataDirectories(root.resolve("var/lib/etcd"), NOW);
    Files.createDirectories(dirs.restoreDir().resolve("member"));

    assertThat(dirs.swapIn(dirs.restoreDir(), null)).isNull();
    assertThat(root.resolve("var/lib/etcd/member")).isDirectory();
  }

  @Test
  void removesOnlyStaleRestoreDirectoriesOfThisDataDirectory() throws Exception {
    Files.createDirectories(root.resolve("etcd.restore-20261130T000000Z/member/snap"));
    Files.writeString(root.resolve("etcd.restore-20261130T000000Z/member/snap/db"), "partial");
    Files.createDirectories(root.resolve("etcd"));
    Files.createDirectories(root.resolve("etcd-old-20261130T000000Z"));
    Files.createDirectories(root.resolve("etcd2.restore-20261130T000000Z"));

    var removed = new DataDirectories(root.resolve("etcd"), NOW).removeStaleRestores();

    assertThat(removed).containsExactly(root.resolve("etcd.restore-20261130T000000Z"));
    assertThat(root.resolve("etcd")).isDirectory();
    assertThat(root.resolve("etcd-old-20261130T000000Z")).isDirectory();
    assertThat(root.resolve("etcd2.restore-20261130T000000Z")).isDirectory();
  }

  @Test
  void parsesNumericOwners() {
    assertThat(DataDirectories.Owner.parse("1000:998"))
        .isEqualTo(new DataDirectories.Owner(1000, 998));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataDirectories.Owner.parse("etcd"))
        .hasMessageContaining("uid:gid");
  }
}

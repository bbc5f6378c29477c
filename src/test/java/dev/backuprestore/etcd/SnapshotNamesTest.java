package dev.backuprestore.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotNamesTest {
  private static final Instant T = Instant.parse("2020-10-15T14:47:24.731Z");

  @Test
  void oneTimeNamesCarryTheLocalOffsetLikeRke() {
    assertThat(SnapshotNames.oneTime(T, ZoneId.of("Europe/Berlin"), false))
        .isEqualTo("rke_etcd_snapshot_2020-10-15T16:47:24+02:00");
    assertThat(SnapshotNames.oneTime(T, ZoneOffset.UTC, false))
        .isEqualTo("rke_etcd_snapshot_2020-10-15T14:47:24Z");
    assertThat(SnapshotNames.oneTime(T, ZoneId.of("America/New_York"), true))
        .isEqualTo("rke_etcd_snapshot_2020-10-15T10-47-24-04-00");
  }

  @Test
  void recurringNamesAreUtc() {
    assertThat(SnapshotNames.recurring(T, false)).isEqualTo("2020-10-15T14:47:24Z_etcd");
    assertThat(SnapshotNames.recurring(T, true)).isEqualTo("2020-10-15T14-47-24Z_etcd");
  }

  @Test
  void namesParseBackToTheirTime() {
    Instant second = Instant.parse("2020-10-15T14:47:24Z");
    for (String name :
        new String[] {
          SnapshotNames.oneTime(T, ZoneId.of("Europe/Berlin"), false),
          SnapshotNames.oneTime(T, ZoneId.of("America/New_York"), true),
          SnapshotNames.recurring(T, false) + ".zip",
          SnapshotNames.recurring(T, true)
        }) {
      assertThat(SnapshotNames.parse(name))
          .get()
          .extracting(p -> p.time().orElseThrow())
          .as(name)
          .isEqualTo(second);
    }
    assertThat(SnapshotNames.parse("2020-10-15T14:53:26Z_etcd.zip").orElseThrow().kind())
        .isEqualTo(SnapshotNames.Kind.RECURRING);
    assertThat(SnapshotNames.parse("rke_etcd_snapshot_2020-10-15T16:47:24+02:00").get().kind())
        .isEqualTo(SnapshotNames.Kind.ONE_TIME);
  }

  @Test
  void lookalikesAreGivenNamesNotRecurring() {
    // exact grammar, never a prefix: these must not be rotated as recurring snapshots
    for (String name :
        new String[] {
          "2020-10-15T14:53:26Z_etcd1",
          "x2020-10-15T14:53:26Z_etcd",
          "2020-10-15T14:53:26Z_etcd.bak",
          "2020-10-15T14-53:26Z_etcd",
          "2020-13-45T14:53:26Z_etcd"
        }) {
      assertThat(SnapshotNames.parse(name).map(SnapshotNames.ParsedName::kind))
          .as(name)
          .isNotEqualTo(java.util.Optional.of(SnapshotNames.Kind.RECURRING));
    }
    assertThat(SnapshotNames.parse("2020-13-45T14:53:26Z_etcd")).isEmpty();
  }

  @Test
  void sidecarsAndPartialFilesAreNotSnapshots() {
    assertThat(SnapshotNames.parse("2020-10-15T14:53:26Z_etcd.zip.sha256").get().kind())
        .isEqualTo(SnapshotNames.Kind.GIVEN);
    assertThat(SnapshotNames.parse(".2020-10-15T14:53:26Z_etcd.zip.part")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "../etc", "a/b", "a\\b", ".hidden", "-x", "x..y", "a b", "x.zip", "n\u0000"})
  void hostileGivenNamesAreRefused(String name) {
    assertThatThrownBy(() -> SnapshotNames.requireValidName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snapshot name");
  }

  @Test
  void longNamesAreRefused() {
    assertThatThrownBy(() -> SnapshotNames.requireValidName("a".repeat(201)))
        .hasMessageContaining("longer than 200");
    assertThat(SnapshotNames.requireValidName("before-upgrade_1.34+rke2:x"))
        .isEqualTo("before-upgrade_1.34+rke2:x");
  }
}

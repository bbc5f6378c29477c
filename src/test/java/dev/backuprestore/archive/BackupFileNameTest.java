package dev.backuprestore.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.archive.BackupFileName.Kind;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupFileNameTest {
  private static final String UID = "0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e";

  @Test
  void formatsUtcTimesWithZAndDashes() {
    ZonedDateTime time = ZonedDateTime.of(2024, 5, 1, 13, 45, 7, 999_000_000, ZoneOffset.UTC);
    assertThat(BackupFileName.format("nightly", UID, time, false))
        .isEqualTo("nightly-" + UID + "-2024-05-01T13-45-07Z.tar.gz");
    assertThat(BackupFileName.format("s3-recurring", UID, time, true))
        .isEqualTo("s3-recurring-" + UID + "-2024-05-01T13-45-07Z.tar.gz.enc");
  }

  @ParameterizedTest
  @CsvSource({
    "2020-09-26T12:49:34-07:00[America/Los_Angeles], 2020-09-26T12-49-34-07-00",
    "2024-01-15T10:00:00Z[Europe/London],            2024-01-15T10-00-00Z",
    "2024-07-15T10:00:00+01:00[Europe/London],       2024-07-15T10-00-00+01-00",
    "2024-07-15T10:00:00+05:30[Asia/Kolkata],        2024-07-15T10-00-00+05-30",
    "2024-07-15T10:00:00.5+12:45[Pacific/Chatham],   2024-07-15T10-00-00+12-45",
  })
  void rewritesOffsetsToo(String time, String expected) {
    assertThat(BackupFileName.timestamp(ZonedDateTime.parse(time))).isEqualTo(expected);
  }

  @Test
  void refusesNamesThatWouldBreakTheKey() {
    ZonedDateTime now = ZonedDateTime.now(ZoneId.of("UTC"));
    assertThatThrownBy(() -> BackupFileName.format("", UID, now, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupFileName.format("a/b", UID, now, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} {3} {4} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // local glob <name>-<uid>*.tar.gz / *.tar.gz.enc
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz            | true  | nightly | false | LOCAL",
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz.enc        | false | nightly | false | LOCAL",
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz.enc        | true  | nightly | true  | LOCAL",
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz            | false | nightly | true  | LOCAL",
        "nightly-UID.tar.gz                                 | true  | nightly | false | LOCAL",
        "nightly-UIDanything.tar.gz                         | true  | nightly | false | LOCAL",
        "nightly-2-UID-2024-05-01T13-45-07Z.tar.gz          | false | nightly | false | LOCAL",
        "other-UID-2024-05-01T13-45-07Z.tar.gz              | false | nightly | false | LOCAL",
        "nightly-OTHERUID-2024-05-01T13-45-07Z.tar.gz       | false | nightly | false | LOCAL",
        "nightly-UID-x/y.tar.gz                             | false | nightly | false | LOCAL",
        "xnightly-UID-2024-05-01T13-45-07Z.tar.gz           | false | nightly | false | LOCAL",
        // S3 regexp <name>-<uid>-([0-9-#]).*tar.gz$ (unanchored, dots unescaped)
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz            | true  | nightly | false | S3",
        "folder/sub/nightly-UID-2024-05-01T13-45-07Z.tar.gz | true  | nightly | false | S3",
        "xnightly-UID-2024-05-01T13-45-07Z.tar.gz           | true  | nightly | false | S3",
        "default-nightly-UID-2020-08-24T20#47#05Z.tar.gz    | true  | nightly | false | S3",
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz.enc        | false | nightly | false | S3",
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz.enc        | true  | nightly | true  | S3",
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz            | false | nightly | true  | S3",
        "nightly-UID-2024-05-01T13-45-07ZXtarXgz            | true  | nightly | false | S3",
        "nightly-UID.tar.gz                                 | false | nightly | false | S3",
        "nightly-UID-x2024.tar.gz                           | false | nightly | false | S3",
        "nightly-UID-2024-05-01T13-45-07Z.tar.gz.bak        | false | nightly | false | S3",
        "my.backup-UID-2024.tar.gz                          | true  | my.backup | false | S3",
        "myXbackup-UID-2024.tar.gz                          | true  | my.backup | false | S3",
        "myXbackup-UID-2024.tar.gz                          | false | my.backup | false | LOCAL",
      })
  void retentionMatchesLikeRancher(
      String file, boolean expected, String backupName, boolean encrypted, Kind kind) {
    assertThat(
            BackupFileName.isRetentionCandidate(
                file.replace("OTHERUID", "1" + UID.substring(1)).replace("UID", UID),
                backupName,
                UID,
                encrypted,
                kind))
        .isEqualTo(expected);
  }

  @Test
  void formattedNamesAreRetentionCandidatesOfTheirOwnKindOnly() {
    ZonedDateTime time = ZonedDateTime.parse("2020-09-26T12:49:34-07:00[America/Los_Angeles]");
    for (boolean encrypted : new boolean[] {false, true}) {
      String name = BackupFileName.format("nightly", UID, time, encrypted);
      for (Kind kind : Kind.values()) {
        assertThat(BackupFileName.isRetentionCandidate(name, "nightly", UID, encrypted, kind))
            .isTrue();
        assertThat(BackupFileName.isRetentionCandidate(name, "nightly", UID, !encrypted, kind))
            .isFalse();
      }
    }
  }

  @Test
  void parsesTheNamesItFormatsAndRanchersOffsetTimestamps() {
    String uid = "0b6f0b5c-2d3e-4f5a-9b8c-7d6e5f4a3b2c";
    ZonedDateTime time = ZonedDateTime.of(2024, 5, 1, 13, 45, 7, 0, ZoneOffset.UTC);

    assertThat(BackupFileName.parse(BackupFileName.format("nightly-app", uid, time, true)))
        .contains(new BackupFileName.Parts("nightly-app", uid, "2024-05-01T13-45-07Z", true));
    assertThat(BackupFileName.parse("b-" + uid + "-2020-09-26T12-49-34-07-00.tar.gz"))
        .contains(new BackupFileName.Parts("b", uid, "2020-09-26T12-49-34-07-00", false));
    assertThat(BackupFileName.parse("hand-made.tar.gz")).isEmpty();
    assertThat(BackupFileName.parse("b-" + uid + "-2020-09-26T12-49-34Z.tar.gz.bak")).isEmpty();
  }
}

package dev.backuprestore.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the Java port with robfig/cron itself: {@code robfig-golden.tsv} holds results computed
 * by the Go library (see {@code robfig-oracle/main.go}), hand-picked corner cases (DST gaps and
 * overlaps in several zones, month ends, leap days, every error message) and random specs.
 */
class RobfigGoldenTest {

  static Stream<Arguments> rows() throws IOException {
    List<String> lines;
    try (InputStream in = RobfigGoldenTest.class.getResourceAsStream("robfig-golden.tsv")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    return lines.stream()
        .filter(line -> !line.startsWith("#"))
        .map(line -> line.split("\t", -1))
        .map(columns -> Arguments.of(columns[0], columns[1], columns[2]));
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' after {1}")
  @MethodSource("rows")
  void matchesRobfig(String spec, String start, String expected) {
    if (start.equals("ERROR")) {
      assertThatThrownBy(() -> CronSchedule.parse(spec))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessage("error parsing invalid cron string for schedule: " + expected);
    } else if (expected.equals("ZERO")) {
      // robfig returns the zero time (and Rancher then backs up in a loop); we refuse the spec,
      // at parse time when no date can ever match, otherwise when next() finds nothing.
      assertThatThrownBy(() -> CronSchedule.parse(spec).next(goTime(start)))
          .isInstanceOf(InvalidScheduleException.class)
          .hasMessageStartingWith("error parsing invalid cron string for schedule: " + spec);
    } else {
      ZonedDateTime next = CronSchedule.parse(spec).next(goTime(start));
      assertThat(next).isEqualTo(goTime(expected));
    }
  }

  /** Go's {@code 2006-01-02T15:04:05.999999999-07:00[Zone]}; Go names UTC "UTC". */
  private static ZonedDateTime goTime(String text) {
    return ZonedDateTime.parse(text.replace("+00:00[UTC]", "Z"));
  }
}

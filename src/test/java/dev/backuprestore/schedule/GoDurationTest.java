package dev.backuprestore.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values printed by Go's {@code time.ParseDuration} (go1.26). */
class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1}ns")
  @CsvSource(
      delimiter = '|',
      value = {
        "1h30m | 5400000000000",
        "1.5h | 5400000000000",
        "-1.5h | -5400000000000",
        "+5s | 5000000000",
        "1\u00b5s | 1000",
        "1\u03bcs | 1000",
        "1us | 1000",
        "300ms | 300000000",
        "2h45m30.5s | 9930500000000",
        "0.000000001s | 1",
        "1.00000000019s | 1000000000",
        "0.1234567890123456789012h | 444444440444",
        "9223372036854775807ns | 9223372036854775807",
        "-9223372036854775808ns | -9223372036854775808",
        "0 | 0",
        "-0 | 0",
        "+0 | 0",
        ".5s | 500000000",
        "5.s | 5000000000",
        "1h1h | 7200000000000",
        "0.3333333333333333333h | 1200000000000",
        "2562047h47m16.854775807s | 9223372036854775807",
      })
  void parsesLikeGo(String text, long nanos) {
    assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "9223372036854775808ns | time: invalid duration \"9223372036854775808ns\"",
        "'' | time: invalid duration \"\"",
        "- | time: invalid duration \"-\"",
        "1 | time: missing unit in duration \"1\"",
        "1x | time: unknown unit \"x\" in duration \"1x\"",
        ". | time: invalid duration \".\"",
        "s | time: invalid duration \"s\"",
        ".s | time: invalid duration \".s\"",
        "1.2.3s | time: missing unit in duration \"1.2.3s\"",
        "1h-5m | time: unknown unit \"h-\" in duration \"1h-5m\"",
        "5 s | time: unknown unit \" s\" in duration \"5 s\"",
        "1e3s | time: unknown unit \"e\" in duration \"1e3s\"",
        "2562047h47m16.854775808s | time: invalid duration \"2562047h47m16.854775808s\"",
        "1\u00e9 | time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"",
      })
  void rejectsLikeGo(String text, String message) {
    assertThatThrownBy(() -> GoDuration.parseNanos(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}

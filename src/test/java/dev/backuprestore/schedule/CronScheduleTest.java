package dev.backuprestore.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Next-fire times; every expected value was computed by robfig/cron v3.0.1 itself. */
class CronScheduleTest {

  @ParameterizedTest(name = "''{0}'' after {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // plain fields, evaluated in the zone of the time given (the pod's zone, normally UTC)
        "0 * * * *                | 2024-05-01T13:45:07Z                          | 2024-05-01T14:00Z",
        "0 * * * *                | 2024-12-31T23:30:00Z                          | 2025-01-01T00:00Z",
        "*/15 * * * *             | 2024-05-01T13:45:00Z                          | 2024-05-01T14:00Z",
        "15/20 * * * *            | 2024-05-01T13:45:07Z                          | 2024-05-01T13:55Z",
        "5,10-12,*/20 */6 * * *   | 2024-05-01T13:45:07Z                          | 2024-05-01T18:00Z",
        "0 9 ? * mon-fri          | 2024-05-03T10:00:00Z                          | 2024-05-06T09:00Z",
        "0 9 * JAN-MAR SUN        | 2024-04-01T00:00:00Z                          | 2025-01-05T09:00Z",
        "0 0 * * 0                | 2024-05-04T12:00:00Z                          | 2024-05-05T00:00Z",
        // day-of-month OR day-of-week when both are restricted, AND when one is * or ?
        "0 0 1,15 * MON           | 2024-05-01T13:45:07Z                          | 2024-05-06T00:00Z",
        "0 0 1,15 * MON           | 2024-05-13T00:00:00Z                          | 2024-05-15T00:00Z",
        "0 0 */2 * MON            | 2024-05-01T13:45:07Z                          | 2024-05-03T00:00Z",
        "0 0 * * MON              | 2024-05-01T13:45:07Z                          | 2024-05-06T00:00Z",
        // month ends and leap days
        "0 0 31 * *               | 2024-01-31T00:00:00Z                          | 2024-03-31T00:00Z",
        "0 0 31 * *               | 2024-04-15T00:00:00Z                          | 2024-05-31T00:00Z",
        "0 0 30 * *               | 2024-01-31T00:00:00Z                          | 2024-03-30T00:00Z",
        "0 12 29 2 *              | 2024-03-01T00:00:00Z                          | 2028-02-29T12:00Z",
        // descriptors
        "@yearly                  | 2024-05-01T13:45:07Z                          | 2025-01-01T00:00Z",
        "@annually                | 2024-01-01T00:00:00Z                          | 2025-01-01T00:00Z",
        "@monthly                 | 2024-01-31T10:00:00Z                          | 2024-02-01T00:00Z",
        "@weekly                  | 2024-05-01T13:45:07Z                          | 2024-05-05T00:00Z",
        "@daily                   | 2024-05-01T13:45:07Z                          | 2024-05-02T00:00Z",
        "@midnight                | 2024-12-31T23:59:59Z                          | 2025-01-01T00:00Z",
        "@hourly                  | 2024-05-01T13:45:07Z                          | 2024-05-01T14:00Z",
        // DST: the US spring-forward night has no 02:30, the fall-back night has 01:00 twice
        "30 2 * * *               | 2021-03-14T01:59:59-05:00[America/New_York]   | 2021-03-15T02:30-04:00[America/New_York]",
        "30 2 * * *               | 2021-11-07T01:30:00-04:00[America/New_York]   | 2021-11-07T02:30-05:00[America/New_York]",
        "0 1 * * *                | 2021-11-07T01:30:00-04:00[America/New_York]   | 2021-11-07T01:00-05:00[America/New_York]",
        "@hourly                  | 2021-11-07T01:30:00-04:00[America/New_York]   | 2021-11-07T01:00-05:00[America/New_York]",
        "30 1 * * *               | 2021-03-27T12:00:00Z[Europe/London]           | 2021-03-29T01:30+01:00[Europe/London]",
        "15 2 * * *               | 2021-10-02T12:00:00+10:30[Australia/Lord_Howe] | 2021-10-04T02:15+11:00[Australia/Lord_Howe]",
        // Sao Paulo 2018: DST started at midnight, so 2018-11-04 had no 00:00 (robfig skips it)
        "0 0 * * *                | 2018-11-03T12:00:00-03:00[America/Sao_Paulo] | 2018-11-05T00:00-02:00[America/Sao_Paulo]",
        // ... but a Sunday-noon schedule does fire on that Sunday (Go resolves the missing
        // midnight to 23:00 the day before, java.time to 01:00; the port follows Go)
        "0 12 * * 0               | 2016-10-10T00:00:00-03:00[America/Sao_Paulo] | 2016-10-16T12:00-02:00[America/Sao_Paulo]",
        // CRON_TZ= / TZ= prefixes; the result stays in the zone of the time given
        "CRON_TZ=America/New_York 30 2 * * * | 2024-05-01T00:00:00Z                | 2024-05-01T06:30Z",
        "CRON_TZ=America/New_York 30 2 * * * | 2021-03-14T12:00:00Z                | 2021-03-15T06:30Z",
        "TZ=Asia/Tokyo 0 9 * * 1-5           | 2024-05-03T01:00:00Z                | 2024-05-06T00:00Z",
        "CRON_TZ=UTC 0 0 * * *               | 2024-05-01T21:59:59-04:00[America/New_York] | 2024-05-02T20:00-04:00[America/New_York]",
        "CRON_TZ=Local 0 0 * * *             | 2024-05-01T21:59:59-04:00[America/New_York] | 2024-05-02T00:00-04:00[America/New_York]",
        "CRON_TZ=Europe/Berlin @daily        | 2024-05-01T22:00:00Z                | 2024-05-02T22:00Z",
        // @every: after + delay, fraction of a second dropped, at least one second
        "@every 5s                | 2024-05-01T13:45:07.25Z                       | 2024-05-01T13:45:12Z",
        "@every 1h30m             | 2024-05-01T13:45:07Z                          | 2024-05-01T15:15:07Z",
        "@every 500ms             | 2024-05-01T13:45:07.75Z                       | 2024-05-01T13:45:08Z",
        "@every 1.5s              | 2024-05-01T13:45:07Z                          | 2024-05-01T13:45:08Z",
        "@every .5h               | 2024-05-01T13:45:07Z                          | 2024-05-01T14:15:07Z",
        "@every 24h               | 2021-03-13T12:00:00-05:00[America/New_York]   | 2021-03-14T13:00-04:00[America/New_York]",
        "CRON_TZ=Asia/Tokyo @every 1h | 2024-05-01T13:45:07Z                      | 2024-05-01T14:45:07Z",
      })
  void nextFireTimeMatchesRobfig(String spec, String after, String expected) {
    ZonedDateTime next = CronSchedule.parse(spec).next(ZonedDateTime.parse(after));
    assertThat(next).isEqualTo(ZonedDateTime.parse(expected));
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                         | empty spec string",
        "* * * *                    | expected exactly 5 fields, found 4: [* * * *]",
        "0 0 * * * *                | expected exactly 5 fields, found 6: [0 0 * * * *]",
        "60 * * * *                 | end of range (60) above maximum (59): 60",
        "* * 0 * *                  | beginning of range (0) below minimum (1): 0",
        "* * * * 7                  | end of range (7) above maximum (6): 7",
        "5-1 * * * *                | beginning of range (5) beyond end of range (1): 5-1",
        "*/0 * * * *                | step of range should be a positive number: */0",
        "0 0 * * sunday             | failed to parse int from sunday: strconv.Atoi: parsing \"sunday\": invalid syntax",
        "0 0 L * *                  | failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax",
        "@reboot                    | unrecognized descriptor: @reboot",
        "@every 5                   | failed to parse duration @every 5: time: missing unit in duration \"5\"",
        "@every 5x                  | failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"",
        "CRON_TZ=Mars/Olympus 0 * * * * | provided bad location Mars/Olympus: unknown time zone Mars/Olympus",
        "TZ=+01:00 0 * * * *        | provided bad location +01:00: unknown time zone +01:00",
        // robfig panics on these (no space after the zone); we report them
        "CRON_TZ=UTC                | provided bad location UTC: no schedule after the time zone",
        // robfig accepts these and its Next returns the zero time; we refuse them
        "0 0 30 2 *                 | 0 0 30 2 * never matches any date",
        "0 0 31 4,6,9,11 *          | 0 0 31 4,6,9,11 * never matches any date",
        "0 0 , * *                  | 0 0 , * * never matches any date",
      })
  void rejectsInvalidSchedulesWithRancherMessage(String spec, String details) {
    assertThatThrownBy(() -> CronSchedule.parse(spec))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage("error parsing invalid cron string for schedule: " + details)
        .satisfies(e -> assertThat(((InvalidScheduleException) e).isPermanent()).isTrue());
  }

  @Test
  void nullIsAnEmptySpec() {
    assertThatThrownBy(() -> CronSchedule.parse(null))
        .hasMessage("error parsing invalid cron string for schedule: empty spec string");
  }

  @Test
  void noActivationWithinFiveYearsIsAnErrorNotTheZeroTime() {
    // The next February 29th after 2096 is in 2104: beyond robfig's five-year search.
    CronSchedule leapDay = CronSchedule.parse("0 0 29 2 *");
    assertThatThrownBy(() -> leapDay.next(ZonedDateTime.parse("2096-03-01T00:00:00Z")))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessageContaining("no activation time within 5 years");
  }

  @Test
  void everyRoundsTheDelayToWholeSecondsOfAtLeastOne() {
    assertThat(delay("@every 1.5s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(delay("@every 500ms")).isEqualTo(Duration.ofSeconds(1));
    assertThat(delay("@every -5s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(delay("@every 0")).isEqualTo(Duration.ofSeconds(1));
    assertThat(delay("@every 1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(delay("@every 2562047h")).isEqualTo(Duration.ofHours(2562047));
  }

  @Test
  void keepsTheTextItWasParsedFrom() {
    assertThat(CronSchedule.parse("CRON_TZ=UTC @daily").spec()).isEqualTo("CRON_TZ=UTC @daily");
    assertThat(CronSchedule.parse("0 0 * * *")).hasToString("0 0 * * *");
  }

  private static Duration delay(String spec) {
    return ((ConstantDelaySchedule) CronSchedule.parse(spec)).delay();
  }
}

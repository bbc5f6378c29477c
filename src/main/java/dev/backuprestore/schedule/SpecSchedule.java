package dev.backuprestore.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;

/**
 * A crontab schedule held as bit sets, and robfig's {@code SpecSchedule.Next} ported line by line.
 * The search mixes wall-clock steps ({@code time.Date}, {@code AddDate}) with absolute steps
 * ({@code Add}, {@code Truncate}); {@link GoClock} reproduces Go's rules for both, so DST gaps and
 * overlaps resolve exactly as in Rancher.
 */
final class SpecSchedule implements CronSchedule {
  private static final int SEARCH_YEARS = 5;

  private final String spec;
  private final long second;
  private final long minute;
  private final long hour;
  private final long dayOfMonth;
  private final long month;
  private final long dayOfWeek;
  private final ZoneId zone; // null: evaluate in the zone of the time given to next()

  SpecSchedule(
      String spec,
      long second,
      long minute,
      long hour,
      long dayOfMonth,
      long month,
      long dayOfWeek,
      ZoneId zone) {
    this.spec = spec;
    this.second = second;
    this.minute = minute;
    this.hour = hour;
    this.dayOfMonth = dayOfMonth;
    this.month = month;
    this.dayOfWeek = dayOfWeek;
    this.zone = zone;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public String toString() {
    return spec;
  }

  @Override
  public ZonedDateTime next(ZonedDateTime after) {
    ZoneId location = zone != null ? zone : after.getZone();
    GoClock clock = new GoClock(location.getRules());
    // Start at the earliest possible time (the upcoming second).
    Instant t = Instant.ofEpochSecond(after.toEpochSecond() + 1);
    boolean added = false;
    int yearLimit = clock.wall(t).getYear() + SEARCH_YEARS;

    wrap:
    while (true) {
      if (clock.wall(t).getYear() > yearLimit) {
        throw new InvalidScheduleException(
            spec + " has no activation time within " + SEARCH_YEARS + " years after " + after);
      }
      while (!has(month, clock.wall(t).getMonthValue())) {
        if (!added) {
          added = true;
          LocalDateTime w = clock.wall(t);
          t = clock.date(w.getYear(), w.getMonthValue(), 1, 0, 0, 0);
        }
        t = clock.addDate(t, 1, 0);
        if (clock.wall(t).getMonthValue() == 1) {
          continue wrap;
        }
      }
      while (!dayMatches(clock.wall(t))) {
        if (!added) {
          added = true;
          LocalDateTime w = clock.wall(t);
          t = clock.date(w.getYear(), w.getMonthValue(), w.getDayOfMonth(), 0, 0, 0);
        }
        t = clock.addDate(t, 0, 1);
        // Where DST moves midnight, robfig nudges back to a whole day boundary.
        int h = clock.wall(t).getHour();
        if (h != 0) {
          t = h > 12 ? t.plusSeconds((24L - h) * 3600) : t.minusSeconds(h * 3600L);
        }
        if (clock.wall(t).getDayOfMonth() == 1) {
          continue wrap;
        }
      }
      while (!has(hour, clock.wall(t).getHour())) {
        if (!added) {
          added = true;
          LocalDateTime w = clock.wall(t);
          t = clock.date(w.getYear(), w.getMonthValue(), w.getDayOfMonth(), w.getHour(), 0, 0);
        }
        t = t.plusSeconds(3600);
        if (clock.wall(t).getHour() == 0) {
          continue wrap;
        }
      }
      while (!has(minute, clock.wall(t).getMinute())) {
        if (!added) {
          added = true;
          t = Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 60) * 60);
        }
        t = t.plusSeconds(60);
        if (clock.wall(t).getMinute() == 0) {
          continue wrap;
        }
      }
      while (!has(second, clock.wall(t).getSecond())) {
        if (!added) {
          added = true;
          t = Instant.ofEpochSecond(t.getEpochSecond());
        }
        t = t.plusSeconds(1);
        if (clock.wall(t).getSecond() == 0) {
          continue wrap;
        }
      }
      return ZonedDateTime.ofInstant(t, after.getZone());
    }
  }

  /**
   * Both day fields are ANDed when either was written with {@code *} or {@code ?}, ORed when both
   * are restricted (classic cron: {@code 0 0 1,15 * MON} runs on the 1st, the 15th and Mondays).
   */
  private boolean dayMatches(LocalDateTime wall) {
    boolean domMatch = has(dayOfMonth, wall.getDayOfMonth());
    boolean dowMatch = has(dayOfWeek, wall.getDayOfWeek().getValue() % 7);
    if ((dayOfMonth & CronParser.STAR_BIT) != 0 || (dayOfWeek & CronParser.STAR_BIT) != 0) {
      return domMatch && dowMatch;
    }
    return domMatch || dowMatch;
  }

  /**
   * False when no date can ever match, e.g. {@code 30 2} (February 30th) or an empty list; robfig
   * accepts those and its {@code Next} returns the zero time.
   */
  boolean canEverFire() {
    if (values(minute) == 0 || values(hour) == 0 || values(month) == 0) {
      return false;
    }
    boolean anded =
        (dayOfMonth & CronParser.STAR_BIT) != 0 || (dayOfWeek & CronParser.STAR_BIT) != 0;
    if (anded) {
      if (values(dayOfWeek) == 0 || values(dayOfMonth) == 0) {
        return false;
      }
      // Every month has every weekday, so only a restricted day-of-month can rule dates out.
      return (dayOfMonth & CronParser.STAR_BIT) != 0 || someMonthHasADay();
    }
    return values(dayOfWeek) != 0 || someMonthHasADay();
  }

  private boolean someMonthHasADay() {
    for (int m = 1; m <= 12; m++) {
      int longest = java.time.Month.of(m).maxLength(); // February: 29
      for (int d = 1; d <= longest; d++) {
        if (has(month, m) && has(dayOfMonth, d)) {
          return true;
        }
      }
    }
    return false;
  }

  private static long values(long bits) {
    return bits & ~CronParser.STAR_BIT;
  }

  private static boolean has(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  /** Go's {@code time} package semantics on top of java.time zone rules. */
  private static final class GoClock {
    private final ZoneRules rules;

    GoClock(ZoneRules rules) {
      this.rules = rules;
    }

    LocalDateTime wall(Instant t) {
      return LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), rules.getOffset(t));
    }

    /**
     * Go's {@code time.Date}: normalizes overflowing days and months, then resolves the wall time
     * with Go's two-step offset lookup. In a DST gap that lands on the far side of the gap shifted
     * back by the old offset (e.g. 02:30 on the US spring-forward night becomes 01:30 EST), which
     * differs from java.time's forward shift, hence this method.
     */
    Instant date(int year, int month, int day, int hour, int minute, int second) {
      LocalDate firstOfMonth = LocalDate.of(year, 1, 1).plusMonths(month - 1L);
      LocalDateTime wall =
          firstOfMonth
              .plusDays(day - 1L)
              .atTime(0, 0)
              .plusHours(hour)
              .plusMinutes(minute)
              .plusSeconds(second);
      long unix = wall.toEpochSecond(ZoneOffset.UTC);
      int guess = offsetSeconds(unix);
      int offset = offsetSeconds(unix - guess);
      return Instant.ofEpochSecond(unix - offset);
    }

    /** Go's {@code AddDate(0, months, days)}: same wall clock, later date, via {@code Date}. */
    Instant addDate(Instant t, int months, int days) {
      LocalDateTime w = wall(t);
      return date(
              w.getYear(),
              w.getMonthValue() + months,
              w.getDayOfMonth() + days,
              w.getHour(),
              w.getMinute(),
              w.getSecond())
          .plusNanos(w.getNano());
    }

    private int offsetSeconds(long epochSecond) {
      return rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    }
  }
}

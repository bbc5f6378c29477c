package dev.backuprestore.schedule;

import java.time.ZonedDateTime;

/**
 * A parsed backup schedule. Instances are immutable and thread-safe.
 *
 * <p>{@link #parse(String)} accepts exactly what Rancher's {@code cron.ParseStandard} accepts:
 *
 * <ul>
 *   <li>five fields {@code minute hour day-of-month month day-of-week} with {@code *}, {@code ?},
 *       lists {@code ,}, ranges {@code -}, steps {@code /}, and the names {@code JAN}-{@code DEC},
 *       {@code SUN}-{@code SAT} (case-insensitive);
 *   <li>{@code @yearly @annually @monthly @weekly @daily @midnight @hourly};
 *   <li>{@code @every <Go duration>}, e.g. {@code @every 1h30m};
 *   <li>an optional {@code CRON_TZ=<zone> } or {@code TZ=<zone> } prefix.
 * </ul>
 *
 * <p>One deliberate difference: a schedule that can never fire (for example {@code 0 0 30 2 *},
 * February 30th) is rejected here, where robfig accepts it and returns the zero time from {@code
 * Next}, which makes Rancher back up in a loop.
 */
public sealed interface CronSchedule permits SpecSchedule, ConstantDelaySchedule {

  /**
   * Parses a schedule.
   *
   * @throws InvalidScheduleException with robfig's explanation after Rancher's prefix
   */
  static CronSchedule parse(String spec) {
    return CronParser.parse(spec);
  }

  /**
   * The first activation strictly after {@code after}, in the zone of {@code after}. Fields are
   * evaluated in the schedule's {@code CRON_TZ} zone if it has one, otherwise in the zone of {@code
   * after} (robfig evaluates in the time's location, normally the pod's local zone, UTC).
   *
   * @throws InvalidScheduleException if the schedule has no activation within five years (robfig's
   *     search limit), which can only happen for February 29th schedules around 2100
   */
  ZonedDateTime next(ZonedDateTime after);

  /** The text this schedule was parsed from. */
  String spec();
}

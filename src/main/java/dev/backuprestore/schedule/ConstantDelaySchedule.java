package dev.backuprestore.schedule;

import java.time.Duration;
import java.time.ZonedDateTime;

/**
 * {@code @every <duration>}: robfig's {@code ConstantDelaySchedule}. The delay is at least one
 * second and whole seconds only; the next time is {@code after + delay} with {@code after}'s
 * fraction of a second dropped. A {@code CRON_TZ} prefix has no effect here, as in robfig.
 */
final class ConstantDelaySchedule implements CronSchedule {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final String spec;
  private final Duration delay;

  private ConstantDelaySchedule(String spec, Duration delay) {
    this.spec = spec;
    this.delay = delay;
  }

  /** robfig's {@code Every}: below one second (including negative) becomes one second. */
  static ConstantDelaySchedule every(String spec, long nanos) {
    long atLeastOneSecond = Math.max(nanos, NANOS_PER_SECOND);
    long wholeSeconds = atLeastOneSecond - atLeastOneSecond % NANOS_PER_SECOND;
    return new ConstantDelaySchedule(spec, Duration.ofNanos(wholeSeconds));
  }

  /** The delay between runs, in whole seconds. */
  Duration delay() {
    return delay;
  }

  @Override
  public ZonedDateTime next(ZonedDateTime after) {
    return after.plus(delay).minusNanos(after.getNano());
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public String toString() {
    return spec;
  }
}

/**
 * Backup schedules in Rancher's syntax: {@code robfig/cron/v3} {@code ParseStandard} (5 fields,
 * {@code @descriptors}, {@code @every <duration>}, an optional {@code CRON_TZ=}/{@code TZ=}
 * prefix), with the same next-run semantics as robfig, implemented directly rather than through
 * Quartz so that every corner (day-of-month/day-of-week OR rule, DST handling, {@code @every}
 * rounding) is exactly robfig's.
 */
package dev.backuprestore.schedule;

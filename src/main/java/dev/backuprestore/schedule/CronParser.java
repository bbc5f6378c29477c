package dev.backuprestore.schedule;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * robfig/cron v3 {@code ParseStandard}, step by step: time-zone prefix, descriptors, five fields.
 * Error details reproduce robfig's wording so that status messages match Rancher's.
 */
final class CronParser {
  /** Bit 63 marks a field written as {@code *} or {@code ?}; it drives the dom/dow OR rule. */
  static final long STAR_BIT = 1L << 63;

  private static final Bounds MINUTES = new Bounds(0, 59, Map.of());
  private static final Bounds HOURS = new Bounds(0, 23, Map.of());
  private static final Bounds DAYS_OF_MONTH = new Bounds(1, 31, Map.of());
  private static final Bounds MONTHS =
      new Bounds(
          1,
          12,
          Map.ofEntries(
              Map.entry("jan", 1),
              Map.entry("feb", 2),
              Map.entry("mar", 3),
              Map.entry("apr", 4),
              Map.entry("may", 5),
              Map.entry("jun", 6),
              Map.entry("jul", 7),
              Map.entry("aug", 8),
              Map.entry("sep", 9),
              Map.entry("oct", 10),
              Map.entry("nov", 11),
              Map.entry("dec", 12)));
  private static final Bounds DAYS_OF_WEEK =
      new Bounds(
          0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6));

  private static final String EVERY = "@every ";

  private record Bounds(int min, int max, Map<String, Integer> names) {}

  private CronParser() {}

  static CronSchedule parse(String original) {
    if (original == null || original.isEmpty()) {
      throw new InvalidScheduleException("empty spec string");
    }
    String spec = original;
    ZoneId zone = null; // null = the zone of the time passed to next(), like robfig's time.Local
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      int space = spec.indexOf(' ');
      int eq = spec.indexOf('=');
      // robfig slices spec[eq+1:space] and panics without a space; we report it instead
      String name = space < 0 ? spec.substring(eq + 1) : spec.substring(eq + 1, space);
      if (space < 0) {
        throw new InvalidScheduleException(
            "provided bad location " + name + ": no schedule after the time zone");
      }
      zone = loadLocation(name);
      spec = goTrimSpace(spec.substring(space));
    }
    if (spec.startsWith("@")) {
      return parseDescriptor(original, spec, zone);
    }
    List<String> fields = goFields(spec);
    if (fields.size() != 5) {
      throw new InvalidScheduleException(
          "expected exactly 5 fields, found "
              + fields.size()
              + ": ["
              + String.join(" ", fields)
              + "]");
    }
    SpecSchedule schedule =
        new SpecSchedule(
            original,
            1L, // second 0
            field(fields.get(0), MINUTES),
            field(fields.get(1), HOURS),
            field(fields.get(2), DAYS_OF_MONTH),
            field(fields.get(3), MONTHS),
            field(fields.get(4), DAYS_OF_WEEK),
            zone);
    if (!schedule.canEverFire()) {
      throw new InvalidScheduleException(original + " never matches any date");
    }
    return schedule;
  }

  /** Go's {@code time.LoadLocation}: "" and "UTC" are UTC, "Local" is the caller's zone. */
  private static ZoneId loadLocation(String name) {
    if (name.isEmpty() || name.equals("UTC")) {
      return ZoneOffset.UTC;
    }
    if (name.equals("Local")) {
      return null;
    }
    // Only IANA region names, as Go's tzdata lookup; ZoneId.of would also take "+01:00" etc.
    if (!ZoneId.getAvailableZoneIds().contains(name)) {
      throw new InvalidScheduleException(
          "provided bad location " + name + ": unknown time zone " + name);
    }
    return ZoneId.of(name);
  }

  private static CronSchedule parseDescriptor(String original, String descriptor, ZoneId zone) {
    switch (descriptor) {
      case "@yearly", "@annually":
        return new SpecSchedule(
            original, 1L, 1L, 1L, 1L << 1, 1L << 1, allBits(DAYS_OF_WEEK), zone);
      case "@monthly":
        return new SpecSchedule(
            original, 1L, 1L, 1L, 1L << 1, allBits(MONTHS), allBits(DAYS_OF_WEEK), zone);
      case "@weekly":
        return new SpecSchedule(
            original, 1L, 1L, 1L, allBits(DAYS_OF_MONTH), allBits(MONTHS), 1L, zone);
      case "@daily", "@midnight":
        return new SpecSchedule(
            original,
            1L,
            1L,
            1L,
            allBits(DAYS_OF_MONTH),
            allBits(MONTHS),
            allBits(DAYS_OF_WEEK),
            zone);
      case "@hourly":
        return new SpecSchedule(
            original,
            1L,
            1L,
            allBits(HOURS),
            allBits(DAYS_OF_MONTH),
            allBits(MONTHS),
            allBits(DAYS_OF_WEEK),
            zone);
      default:
        break;
    }
    if (descriptor.startsWith(EVERY)) {
      long nanos;
      try {
        nanos = GoDuration.parseNanos(descriptor.substring(EVERY.length()));
      } catch (IllegalArgumentException e) {
        throw new InvalidScheduleException(
            "failed to parse duration " + descriptor + ": " + e.getMessage());
      }
      return ConstantDelaySchedule.every(original, nanos);
    }
    throw new InvalidScheduleException("unrecognized descriptor: " + descriptor);
  }

  /** A comma-separated list of ranges; empty items are skipped, as Go's FieldsFunc does. */
  private static long field(String field, Bounds bounds) {
    long bits = 0;
    for (String range : field.split(",")) {
      if (!range.isEmpty()) {
        bits |= range(range, bounds);
      }
    }
    return bits;
  }

  /** {@code number | number "-" number [ "/" number ]}, with {@code *}/{@code ?} and names. */
  private static long range(String expr, Bounds bounds) {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean singleValue = lowAndHigh.length == 1;
    long start;
    long end;
    long extra = 0;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      // robfig ignores anything after "*-" here; kept for compatibility
      start = bounds.min();
      end = bounds.max();
      extra = STAR_BIT;
    } else {
      start = intOrName(lowAndHigh[0], bounds);
      switch (lowAndHigh.length) {
        case 1 -> end = start;
        case 2 -> end = intOrName(lowAndHigh[1], bounds);
        default -> throw new InvalidScheduleException("too many hyphens: " + expr);
      }
    }
    long step;
    switch (rangeAndStep.length) {
      case 1 -> step = 1;
      case 2 -> {
        step = number(rangeAndStep[1]);
        // "N/step" means "N-max/step"
        if (singleValue) {
          end = bounds.max();
        }
        if (step > 1) {
          extra = 0;
        }
      }
      default -> throw new InvalidScheduleException("too many slashes: " + expr);
    }
    if (start < bounds.min()) {
      throw new InvalidScheduleException(
          "beginning of range (" + start + ") below minimum (" + bounds.min() + "): " + expr);
    }
    if (end > bounds.max()) {
      throw new InvalidScheduleException(
          "end of range (" + end + ") above maximum (" + bounds.max() + "): " + expr);
    }
    if (start > end) {
      throw new InvalidScheduleException(
          "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
    }
    if (step == 0) {
      throw new InvalidScheduleException("step of range should be a positive number: " + expr);
    }
    return bits((int) start, (int) end, step) | extra;
  }

  private static long intOrName(String expr, Bounds bounds) {
    Integer named = bounds.names().get(expr.toLowerCase(java.util.Locale.ROOT));
    return named != null ? named : number(expr);
  }

  /** Go's {@code strconv.Atoi} (ASCII digits, optional sign, 64-bit) then "not negative". */
  private static long number(String expr) {
    int i = (!expr.isEmpty() && (expr.charAt(0) == '+' || expr.charAt(0) == '-')) ? 1 : 0;
    boolean syntaxOk = expr.length() > i;
    for (int j = i; j < expr.length() && syntaxOk; j++) {
      syntaxOk = expr.charAt(j) >= '0' && expr.charAt(j) <= '9';
    }
    if (!syntaxOk) {
      throw new InvalidScheduleException(
          "failed to parse int from "
              + expr
              + ": strconv.Atoi: parsing \""
              + expr
              + "\": invalid syntax");
    }
    long value;
    try {
      value = Long.parseLong(expr);
    } catch (NumberFormatException e) {
      throw new InvalidScheduleException(
          "failed to parse int from "
              + expr
              + ": strconv.Atoi: parsing \""
              + expr
              + "\": value out of range");
    }
    if (value < 0) {
      throw new InvalidScheduleException("negative number (" + value + ") not allowed: " + expr);
    }
    return value;
  }

  private static long bits(int min, int max, long step) {
    long bits = 0;
    long boundedStep = Math.min(step, 64); // a larger step selects only min, and cannot overflow
    for (long i = min; i <= max; i += boundedStep) {
      bits |= 1L << i;
    }
    return bits;
  }

  private static long allBits(Bounds bounds) {
    return bits(bounds.min(), bounds.max(), 1) | STAR_BIT;
  }

  /** Go's {@code strings.Fields}: split around runs of Unicode white space. */
  private static List<String> goFields(String s) {
    List<String> fields = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && isGoSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < s.length() && !isGoSpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        fields.add(s.substring(start, i));
      }
    }
    return fields;
  }

  private static String goTrimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isGoSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isGoSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace}. */
  private static boolean isGoSpace(char c) {
    switch (c) {
      case '\t',
      '\n',
      '\u000b',
      '\f',
      '\r',
      ' ',
      '\u0085',
      '\u00a0',
      '\u1680',
      '\u2028',
      '\u2029',
      '\u202f',
      '\u205f',
      '\u3000':
        return true;
      default:
        return c >= '\u2000' && c <= '\u200a';
    }
  }
}

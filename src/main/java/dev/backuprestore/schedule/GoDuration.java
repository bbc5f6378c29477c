package dev.backuprestore.schedule;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}, ported exactly (including its unsigned overflow checks and its
 * float64 rounding of fractions), because {@code @every} takes a Go duration and users copy their
 * Rancher schedules as they are.
 */
final class GoDuration {
  private static final long NANOS_PER_MICRO = 1_000L;
  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", NANOS_PER_MICRO,
          "\u00b5s", NANOS_PER_MICRO, // micro sign
          "\u03bcs", NANOS_PER_MICRO, // Greek small letter mu
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  /** 1 << 63 as an unsigned 64-bit value. */
  private static final long TWO_POW_63 = Long.MIN_VALUE;

  private GoDuration() {}

  /**
   * Parses a duration such as {@code 1h30m}, {@code 500ms}, {@code -1.5h}.
   *
   * @return the duration in nanoseconds
   * @throws IllegalArgumentException with Go's message, e.g. {@code time: invalid duration "x"}
   */
  static long parseNanos(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw error("invalid duration", text);
    }
    long total = 0; // unsigned
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!(c == '.' || isDigit(c))) {
        throw error("invalid duration", text);
      }
      // integer part, unsigned with overflow detection
      int start = i;
      long value = 0;
      while (i < s.length() && isDigit(s.charAt(i))) {
        if (Long.compareUnsigned(value, Long.divideUnsigned(TWO_POW_63, 10)) > 0) {
          throw error("invalid duration", text);
        }
        value = value * 10 + (s.charAt(i) - '0');
        if (Long.compareUnsigned(value, TWO_POW_63) > 0) {
          throw error("invalid duration", text);
        }
        i++;
      }
      boolean digitsBeforePoint = i != start;
      // fraction: keeps consuming digits but stops accumulating on overflow
      long fraction = 0;
      double scale = 1;
      boolean digitsAfterPoint = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fractionStart = i;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          if (!overflow) {
            if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
              overflow = true;
            } else {
              long next = fraction * 10 + (s.charAt(i) - '0');
              if (Long.compareUnsigned(next, TWO_POW_63) > 0) {
                overflow = true;
              } else {
                fraction = next;
                scale *= 10;
              }
            }
          }
          i++;
        }
        digitsAfterPoint = i != fractionStart;
      }
      if (!digitsBeforePoint && !digitsAfterPoint) {
        throw error("invalid duration", text);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (i == unitStart) {
        throw error("missing unit in duration", text);
      }
      String unitName = s.substring(unitStart, i);
      Long unit = UNITS.get(unitName);
      if (unit == null) {
        throw error("unknown unit " + quote(unitName) + " in duration", text);
      }
      if (Long.compareUnsigned(value, Long.divideUnsigned(TWO_POW_63, unit)) > 0) {
        throw error("invalid duration", text);
      }
      value *= unit;
      if (fraction != 0) {
        // float64 as in Go, to stay nanosecond-exact the same way for fractions of hours
        value += (long) (unsignedToDouble(fraction) * ((double) unit / scale));
        if (Long.compareUnsigned(value, TWO_POW_63) > 0) {
          throw error("invalid duration", text);
        }
      }
      total += value;
      if (Long.compareUnsigned(total, TWO_POW_63) > 0) {
        throw error("invalid duration", text);
      }
    }
    if (negative) {
      return -total; // -(1<<63) wraps to Long.MIN_VALUE, as in Go
    }
    if (total < 0) { // unsigned value above 1<<63 - 1
      throw error("invalid duration", text);
    }
    return total;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static double unsignedToDouble(long value) {
    return value >= 0 ? value : (double) (value >>> 1) * 2.0;
  }

  private static IllegalArgumentException error(String message, String value) {
    return new IllegalArgumentException("time: " + message + " " + quote(value));
  }

  /** Go's {@code time.quote}: non-ASCII and control bytes as {@code \xNN}. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x80 || c < ' ') {
        out.append(String.format("\\x%02x", c));
      } else {
        if (c == '"' || c == '\\') {
          out.append('\\');
        }
        out.append((char) c);
      }
    }
    return out.append('"').toString();
  }
}

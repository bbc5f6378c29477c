package dev.backuprestore.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Writes a JSON tree the way Go's {@code json.Marshal} writes a {@code map[string]interface{}}, so
 * our backups diff cleanly against Rancher's: compact, object keys sorted (byte order of their
 * UTF-8, i.e. code point order) at every level, and Go's string escaping: {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 as six-character escapes with lowercase hex (backslash, u, 003c);
 * control characters as backslash b, f, n, r, t or a lowercase hex escape; other characters as raw
 * UTF-8.
 *
 * <p>Integers are written exactly as held (no float64 round trip, unlike Go for values beyond
 * 2^53). Floating-point numbers follow Go's float64 format: the shortest decimal that reads back to
 * the same double, in plain notation, or exponent notation ({@code 1e+21}, {@code 1e-7}) when the
 * magnitude is below 1e-6 or at least 1e21.
 */
public final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

  private CanonicalJson() {}

  /** Writes {@code node} to {@code out} as UTF-8, without a trailing newline; does not close it. */
  public static void write(JsonNode node, OutputStream out) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    writeNode(node, writer);
    writer.flush();
  }

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] toBytes(JsonNode node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(node, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The canonical text of {@code node}. */
  public static String toString(JsonNode node) {
    StringWriter out = new StringWriter();
    try {
      writeNode(node, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeNode(JsonNode node, Writer out) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> writeArray(node, out);
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.write(formatNumber(node));
      case BOOLEAN -> out.write(node.booleanValue() ? "true" : "false");
      case NULL, MISSING -> out.write("null");
      default ->
          throw new IllegalArgumentException("cannot write a JSON " + node.getNodeType() + " node");
    }
  }

  private static void writeObject(JsonNode node, Writer out) throws IOException {
    List<String> keys = new ArrayList<>(node.size());
    node.fieldNames().forEachRemaining(keys::add);
    keys.sort(CODE_POINT_ORDER);
    out.write('{');
    boolean first = true;
    for (String key : keys) {
      if (!first) {
        out.write(',');
      }
      first = false;
      writeString(key, out);
      out.write(':');
      writeNode(node.get(key), out);
    }
    out.write('}');
  }

  private static void writeArray(JsonNode node, Writer out) throws IOException {
    out.write('[');
    Iterator<JsonNode> elements = node.elements();
    boolean first = true;
    while (elements.hasNext()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      writeNode(elements.next(), out);
    }
    out.write(']');
  }

  private static void writeString(String value, Writer out) throws IOException {
    out.write('"');
    int length = value.length();
    // Characters that need no escaping are written in runs: one Writer call per run, not per
    // character (each Writer.write(int) takes a lock; a 2 KB value made that the backup's hot
    // spot).
    int runStart = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (writtenAsIs(c)) {
        continue;
      }
      if (i > runStart) {
        out.write(value, runStart, i - runStart);
      }
      switch (c) {
        case '"' -> out.write("\\\"");
        case '\\' -> out.write("\\\\");
        case '\b' -> out.write("\\b");
        case '\f' -> out.write("\\f");
        case '\n' -> out.write("\\n");
        case '\r' -> out.write("\\r");
        case '\t' -> out.write("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> writeUnicodeEscape(c, out);
        default -> {
          if (c < 0x20) {
            writeUnicodeEscape(c, out);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < length
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.write(c);
            out.write(value.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            // A lone surrogate is not valid Unicode; Go's decoder turns it into U+FFFD too.
            out.write('\uFFFD');
          } else {
            out.write(c);
          }
        }
      }
      runStart = i + 1;
    }
    if (length > runStart) {
      out.write(value, runStart, length - runStart);
    }
    out.write('"');
  }

  /** Whether Go writes {@code c} unchanged (a surrogate is checked on the slow path). */
  private static boolean writtenAsIs(char c) {
    return c >= 0x20
        && c != '"'
        && c != '\\'
        && c != '<'
        && c != '>'
        && c != '&'
        && c != '\u2028'
        && c != '\u2029'
        && !Character.isSurrogate(c);
  }

  private static void writeUnicodeEscape(char c, Writer out) throws IOException {
    out.write("\\u");
    out.write(HEX[(c >> 12) & 0xF]);
    out.write(HEX[(c >> 8) & 0xF]);
    out.write(HEX[(c >> 4) & 0xF]);
    out.write(HEX[c & 0xF]);
  }

  static String formatNumber(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    return formatFloat(node.doubleValue());
  }

  /** Go's {@code encoding/json} float64 format. */
  static String formatFloat(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("json: unsupported value: " + value);
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0" : "0";
    }
    BigDecimal shortest = shortestDecimal(value).stripTrailingZeros();
    double magnitude = Math.abs(value);
    if (magnitude >= 1e-6 && magnitude < 1e21) {
      return shortest.toPlainString();
    }
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = shortest.precision() - shortest.scale() - 1;
    StringBuilder text = new StringBuilder();
    if (value < 0) {
      text.append('-');
    }
    text.append(digits.charAt(0));
    if (digits.length() > 1) {
      text.append('.').append(digits, 1, digits.length());
    }
    return text.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent)).toString();
  }

  /**
   * The shortest decimal that reads back as {@code value}; among equally short ones, the closest.
   * Both neighbours at each precision are tried because the rounding interval of a power of two is
   * not symmetric.
   */
  private static BigDecimal shortestDecimal(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
      boolean downWorks = down.doubleValue() == value;
      boolean upWorks = up.doubleValue() == value;
      if (downWorks && upWorks) {
        BigDecimal downDistance = exact.subtract(down).abs();
        BigDecimal upDistance = up.subtract(exact).abs();
        int closer = downDistance.compareTo(upDistance);
        if (closer == 0) {
          // A tie: take the even last digit, as round-half-even would.
          return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        }
        return closer < 0 ? down : up;
      }
      if (downWorks) {
        return down;
      }
      if (upWorks) {
        return up;
      }
    }
    return exact.round(MathContext.DECIMAL64);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}

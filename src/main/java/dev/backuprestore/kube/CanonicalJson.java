package dev.backuprestore.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

  private CanonicalJson() {}

  /** Writes {@code node} to {@code out} as UTF-8, without a trailing newline; does not close it. */
  public static void write(JsonNode node, OutputStream out) throws IOException {
    Utf8Buffer buffer = new Utf8Buffer();
    writeNode(node, buffer);
    out.write(buffer.bytes, 0, buffer.length);
  }

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] toBytes(JsonNode node) {
    Utf8Buffer buffer = new Utf8Buffer();
    writeNode(node, buffer);
    return Arrays.copyOf(buffer.bytes, buffer.length);
  }

  /** The canonical text of {@code node}. */
  public static String toString(JsonNode node) {
    Utf8Buffer buffer = new Utf8Buffer();
    writeNode(node, buffer);
    return new String(buffer.bytes, 0, buffer.length, StandardCharsets.UTF_8);
  }

  private static void writeNode(JsonNode node, Utf8Buffer out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> writeArray(node, out);
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.ascii(formatNumber(node));
      case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
      case NULL, MISSING -> out.ascii("null");
      default ->
          throw new IllegalArgumentException("cannot write a JSON " + node.getNodeType() + " node");
    }
  }

  private static void writeObject(JsonNode node, Utf8Buffer out) {
    int size = node.size();
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(size);
    node.fields().forEachRemaining(fields::add);
    if (size > 1) {
      fields.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
    }
    out.write('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> field : fields) {
      if (!first) {
        out.write(',');
      }
      first = false;
      writeString(field.getKey(), out);
      out.write(':');
      writeNode(field.getValue(), out);
    }
    out.write('}');
  }

  private static void writeArray(JsonNode node, Utf8Buffer out) {
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

  /**
   * Writes a string as Go does. Straight into UTF-8 bytes: through a Writer and its encoder, the
   * copies and per-call locks were the hottest Java code of a backup (docs/benchmarks.md).
   */
  private static void writeString(String value, Utf8Buffer out) {
    int length = value.length();
    out.ensure(length * 3 + 2); // each char takes at most 3 bytes; an escape of one char 6
    out.write('"');
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
          out.write(c);
          continue;
        }
        switch (c) {
          case '"' -> out.ascii("\\\"");
          case '\\' -> out.ascii("\\\\");
          case '\b' -> out.ascii("\\b");
          case '\f' -> out.ascii("\\f");
          case '\n' -> out.ascii("\\n");
          case '\r' -> out.ascii("\\r");
          case '\t' -> out.ascii("\\t");
          default -> writeUnicodeEscape(c, out); // <, >, & and other control characters
        }
      } else if (c == '\u2028' || c == '\u2029') {
        writeUnicodeEscape(c, out);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.codePoint(Character.toCodePoint(c, value.charAt(++i)));
      } else if (Character.isSurrogate(c)) {
        // A lone surrogate is not valid Unicode; Go's decoder turns it into U+FFFD too.
        out.codePoint(0xFFFD);
      } else {
        out.codePoint(c);
      }
    }
    out.write('"');
  }

  private static void writeUnicodeEscape(char c, Utf8Buffer out) {
    out.ensure(6);
    out.write('\\');
    out.write('u');
    out.writeByte(HEX[(c >> 12) & 0xF]);
    out.writeByte(HEX[(c >> 8) & 0xF]);
    out.writeByte(HEX[(c >> 4) & 0xF]);
    out.writeByte(HEX[c & 0xF]);
  }

  /** A growable UTF-8 byte buffer: one copy at the end instead of a Writer stack's several. */
  private static final class Utf8Buffer {
    private byte[] bytes = new byte[4096];
    private int length;

    void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    /** One ASCII character (callers outside writeString need no ensure). */
    void write(char c) {
      if (length == bytes.length) {
        ensure(1);
      }
      bytes[length++] = (byte) c;
    }

    void writeByte(byte b) {
      if (length == bytes.length) {
        ensure(1);
      }
      bytes[length++] = b;
    }

    void ascii(String text) {
      ensure(text.length());
      for (int i = 0; i < text.length(); i++) {
        bytes[length++] = (byte) text.charAt(i);
      }
    }

    void codePoint(int cp) {
      ensure(4);
      if (cp < 0x80) {
        bytes[length++] = (byte) cp;
      } else if (cp < 0x800) {
        bytes[length++] = (byte) (0xC0 | (cp >> 6));
        bytes[length++] = (byte) (0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        bytes[length++] = (byte) (0xE0 | (cp >> 12));
        bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        bytes[length++] = (byte) (0xF0 | (cp >> 18));
        bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (cp & 0x3F));
      }
    }
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

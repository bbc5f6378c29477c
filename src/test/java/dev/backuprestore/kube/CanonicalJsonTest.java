package dev.backuprestore.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {
  private final ObjectMapper mapper = KubeJsonApi.newMapper();

  private String canonical(String json) throws Exception {
    return CanonicalJson.toString(mapper.readTree(json));
  }

  @Test
  void compactWithKeysSortedAtEveryLevel() throws Exception {
    String json =
        """
        {"kind": "Secret", "apiVersion": "v1",
         "metadata": {"name": "s", "labels": {"z": "1", "a": "2"}},
         "list": [{"b": 1, "a": 2}, [], {}], "data": null, "ok": true, "no": false}
        """;

    assertThat(canonical(json))
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"data\":null,\"kind\":\"Secret\","
                + "\"list\":[{\"a\":2,\"b\":1},[],{}],"
                + "\"metadata\":{\"labels\":{\"a\":\"2\",\"z\":\"1\"},\"name\":\"s\"},"
                + "\"no\":false,\"ok\":true}");
  }

  @Test
  void keysAreSortedByUtf8BytesNotUtf16() throws Exception {
    // U+FF5E sorts before U+1F600 in UTF-8 (and code points), after it in UTF-16 units.
    String json = "{\"\uD83D\uDE00\":1,\"\uFF5E\":2,\"Z\":3,\"a\":4,\"é\":5}";

    assertThat(canonical(json))
        .isEqualTo("{\"Z\":3,\"a\":4,\"é\":5,\"\uFF5E\":2,\"\uD83D\uDE00\":1}");
  }

  @Test
  void escapesLikeGoEncodingJson() throws Exception {
    String json =
        "{\"s\":\"<a href=\\\"x\\\">&amp;</a> \\\\ \\n\\r\\t\\b\\f\\u0001\\u001f\\u007f"
            + " \\u2028\\u2029 é日本 \uD83D\uDE00 /\"}";

    String expected =
        "{\"s\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e \\\\ \\n\\r\\t\\b\\f"
            + "\\u0001\\u001f\u007f \\u2028\\u2029 é日本 \uD83D\uDE00 /\"}";
    assertThat(canonical(json)).isEqualTo(expected);
  }

  @Test
  void longPlainRunsAroundEscapesAreKeptWhole() {
    String plain = "x".repeat(3000) + "é日本";
    JsonNode node = JsonNodeFactory.instance.textNode("<" + plain + "\n" + plain + "&");

    assertThat(CanonicalJson.toString(node))
        .isEqualTo("\"\\u003c" + plain + "\\n" + plain + "\\u0026\"");
    assertThat(CanonicalJson.toString(JsonNodeFactory.instance.textNode("\"\"")))
        .isEqualTo("\"\\\"\\\"\"");
  }

  @Test
  void loneSurrogateBecomesReplacementCharacter() {
    JsonNode node = JsonNodeFactory.instance.textNode("a\uD800b");

    assertThat(CanonicalJson.toString(node)).isEqualTo("\"a\uFFFDb\"");
  }

  @Test
  void integersStayExact() throws Exception {
    String json =
        "{\"a\":9007199254740993,\"b\":-9223372036854775808,\"c\":123456789012345678901234567890,"
            + "\"d\":0,\"e\":-1}";

    assertThat(canonical(json)).isEqualTo(json);
  }

  @ParameterizedTest
  @CsvSource({
    "1.5, 1.5",
    "100.0, 100",
    "1.0, 1",
    "-0.0, -0",
    "0.0, 0",
    "0.1, 0.1",
    "1e20, 100000000000000000000",
    "1e21, 1e+21",
    "1.5e300, 1.5e+300",
    "0.000001, 0.000001",
    "0.0000001, 1e-7",
    "1.2345e-10, 1.2345e-10",
    "-2.5e-8, -2.5e-8",
    "3.141592653589793, 3.141592653589793",
    "5e-324, 5e-324",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "2e-7, 2e-7",
    "123456789.125, 123456789.125",
  })
  void floatsFollowGoFormatting(String input, String expected) throws Exception {
    assertThat(canonical("[" + input + "]")).isEqualTo("[" + expected + "]");
  }

  @Test
  void shortestRepresentationAtPowersOfTwo() {
    // The rounding interval below a power of two is half as wide as the one above.
    assertThat(CanonicalJson.formatFloat(Math.pow(2, 60))).isEqualTo("1152921504606847000");
    assertThat(CanonicalJson.formatFloat(Math.pow(2, -44))).isEqualTo("5.684341886080802e-14");
    assertThat(CanonicalJson.formatFloat(9007199254740992.0)).isEqualTo("9007199254740992");
    assertThat(CanonicalJson.formatFloat(Math.pow(2, -20))).isEqualTo("9.5367431640625e-7");
  }

  @Test
  void nonFiniteNumbersAreRejected() {
    assertThatThrownBy(() -> CanonicalJson.formatFloat(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesUtf8WithoutNewlineAndLeavesTheStreamOpen() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CanonicalJson.write(mapper.readTree("{\"k\":\"é\"}"), out);
    out.write('!');

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"é\"}!");
    assertThat(CanonicalJson.toBytes(mapper.readTree("{\"k\":\"é\"}")))
        .isEqualTo("{\"k\":\"é\"}".getBytes(StandardCharsets.UTF_8));
  }
}

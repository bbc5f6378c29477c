package dev.backuprestore.restore;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.kube.KubeJsonApi;
import java.io.IOException;

/**
 * JSON of archived objects: integers and decimals are kept exactly (no float64 round trip,
 * docs/rancher-compat.md#diff-exact-numbers), trailing garbage is an error, and parse errors never
 * quote the content (a decrypted Secret could end up in a status message otherwise).
 */
final class ArchiveJson {
  /** Configured once, never changed afterwards: Jackson mappers are thread-safe then. */
  static final ObjectMapper MAPPER =
      KubeJsonApi.newMapper()
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ArchiveJson() {}

  /**
   * Parses the JSON object of an archive entry.
   *
   * @throws ArchiveFormatException naming the entry: not JSON, truncated, or not an object
   */
  static ObjectNode parseObject(String entryPath, byte[] json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // Jackson's own wording, never the content: the end of input is reported either way.
      boolean truncated =
          e instanceof JsonEOFException
              || String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input");
      throw entryError(
          entryPath, (truncated ? "truncated JSON" : "not valid JSON") + at(e.getLocation()));
    } catch (IOException e) {
      throw entryError(entryPath, "not valid JSON");
    }
    if (node == null || node.isMissingNode()) {
      throw entryError(entryPath, "no JSON content");
    }
    if (!(node instanceof ObjectNode object)) {
      throw entryError(
          entryPath, "JSON " + node.getNodeType().name().toLowerCase() + " instead of an object");
    }
    return object;
  }

  static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be serialized", e);
    }
  }

  /** "archive entry 'path': reason", with control characters in the path escaped. */
  static ArchiveFormatException entryError(String entryPath, String reason) {
    return new ArchiveFormatException("archive entry '" + printable(entryPath) + "': " + reason);
  }

  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}

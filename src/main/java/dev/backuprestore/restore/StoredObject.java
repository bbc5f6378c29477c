package dev.backuprestore.restore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.kube.KubeApiException;
import java.io.IOException;

/**
 * The object the API server answered a write with, kept as its JSON bytes. Most restored objects
 * only need the answer's {@code metadata.uid} (dependents' ownerReferences name it): {@link #uid}
 * reads tokens up to it and stops, where the server puts metadata first and the payload after it,
 * instead of building a tree of the whole object. {@link #object} parses the whole answer, once,
 * for the callers that compare or rewrite it (updates, the status write, fallback warnings).
 */
final class StoredObject {
  private final String request;
  private final int statusCode;
  private final byte[] json;
  private ObjectNode object;

  /**
   * @param request "METHOD url", for the error when the answer is not JSON
   * @param json the response body; null or empty reads as an empty object
   */
  StoredObject(String request, int statusCode, byte[] json) {
    this.request = request;
    this.statusCode = statusCode;
    this.json = json == null ? new byte[0] : json;
  }

  /** An answer that was parsed already. */
  static StoredObject parsed(ObjectNode object) {
    StoredObject stored = new StoredObject("", 0, null);
    stored.object = object;
    return stored;
  }

  /** The whole answer; an answer that is JSON but not an object reads as an empty object. */
  ObjectNode object() {
    if (object == null) {
      object = parse();
    }
    return object;
  }

  /**
   * {@code metadata.uid} of the answer, the same value as {@code
   * object().path("metadata").path("uid").asText(null)}: null when absent or null.
   */
  String uid() {
    if (object != null) {
      return object.path("metadata").path("uid").asText(null);
    }
    if (json.length == 0) {
      return null;
    }
    try (JsonParser parser = ArchiveJson.MAPPER.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return null;
      }
      if (!toField(parser, "metadata") || parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      if (!toField(parser, "uid")) {
        return null;
      }
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        return null;
      }
      if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
        return ""; // what asText gives for a container
      }
      return parser.getText();
    } catch (IOException e) {
      throw notJson(e);
    }
  }

  /**
   * Moves to the value of {@code name} among the fields of the object just opened (its value is the
   * next token), skipping the others; false at the object's end.
   */
  private static boolean toField(JsonParser parser, String name) throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      if (name.equals(parser.currentName())) {
        return true;
      }
      parser.nextToken();
      parser.skipChildren();
    }
    if (token == null) {
      throw new IOException("unexpected end of input");
    }
    return false;
  }

  private ObjectNode parse() {
    if (json.length == 0) {
      return ArchiveJson.MAPPER.createObjectNode();
    }
    try {
      JsonNode node = ArchiveJson.MAPPER.readTree(json);
      return node instanceof ObjectNode tree ? tree : ArchiveJson.MAPPER.createObjectNode();
    } catch (IOException e) {
      throw notJson(e);
    }
  }

  private KubeApiException notJson(IOException e) {
    return new KubeApiException(request + ": the response is not JSON", statusCode, e);
  }
}

package dev.backuprestore.crypto;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Encodes and decodes the content of one archived object file, byte-compatible with Rancher
 * Backups.
 *
 * <p>Sealing runs the object's JSON through the transformer of its group-resource with the
 * authenticated data {@code <name>} (cluster-scoped) or {@code <namespace>#<name>} (namespaced). If
 * that changed the bytes, the file holds a JSON string: {@code "} + standard padded base64 of
 * {@code k8s:enc:<provider>:v1:<key>:<payload>} + {@code "}; otherwise the JSON itself. Opening
 * treats a file as encrypted only if its first byte is {@code "}, so archives may mix both.
 *
 * <p>Thread-safe; keys stay in memory and appear in no message.
 */
public final class ObjectCipher {
  private static final byte QUOTE = '"';
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final EncryptionConfig config;

  private ObjectCipher(EncryptionConfig config) {
    this.config = config;
  }

  /** No encryption configuration: nothing is encrypted, and encrypted files cannot be read. */
  public static ObjectCipher none() {
    return new ObjectCipher(null);
  }

  public static ObjectCipher of(EncryptionConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config is required; use ObjectCipher.none()");
    }
    return new ObjectCipher(config);
  }

  /** True when built from an encryption configuration. */
  public boolean hasConfig() {
    return config != null;
  }

  /**
   * Returns the archive file content for an object.
   *
   * @param group API group, {@code ""} for the core group
   * @param resource plural resource name, e.g. {@code secrets}
   * @param namespace namespace, or {@code null} / empty for cluster-scoped objects
   * @param name object name
   * @param json the object's JSON
   */
  public byte[] seal(String group, String resource, String namespace, String name, byte[] json) {
    byte[] stored =
        transformerFor(group, resource).encrypt(json, authenticatedData(namespace, name));
    if (Arrays.equals(stored, json)) {
      return json;
    }
    String encoded = StdBase64.encode(stored);
    byte[] out = new byte[encoded.length() + 2];
    out[0] = QUOTE;
    for (int i = 0; i < encoded.length(); i++) {
      out[i + 1] = (byte) encoded.charAt(i);
    }
    out[out.length - 1] = QUOTE;
    return out;
  }

  /**
   * Returns the object's JSON from an archive file's content; plain JSON is returned as is.
   *
   * @throws DecryptionException when the content is empty, or is an encrypted value that the
   *     configuration cannot decrypt (wrong keys, no configuration, corrupted data)
   */
  public byte[] open(String group, String resource, String namespace, String name, byte[] content) {
    GroupResource gr = new GroupResource(group, resource);
    if (content == null || content.length == 0) {
      throw new DecryptionException(
          "archived file of resource [" + gr + "] " + objectName(namespace, name) + " is empty");
    }
    if (content[0] != QUOTE) {
      return content;
    }
    byte[] stored = decodeJsonBytes(content, gr, namespace, name);
    try {
      return transformerFor(group, resource).decrypt(stored, authenticatedData(namespace, name));
    } catch (GeneralSecurityException e) {
      throw decryptError(gr, namespace, name, e.getMessage(), e);
    }
  }

  /** Rancher's authenticated data: {@code name} or {@code namespace#name}, UTF-8. */
  public static byte[] authenticatedData(String namespace, String name) {
    String text = namespace == null || namespace.isEmpty() ? name : namespace + "#" + name;
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return config == null ? "ObjectCipher[none]" : "ObjectCipher[" + config + "]";
  }

  private Transformer transformerFor(String group, String resource) {
    return config == null ? IdentityTransformer.INSTANCE : config.transformerFor(group, resource);
  }

  /** Go's json.Unmarshal into []byte: one JSON string holding padded standard base64. */
  private static byte[] decodeJsonBytes(
      byte[] content, GroupResource gr, String namespace, String name) {
    String text;
    try {
      JsonNode node = JSON.readTree(content);
      if (node == null || !node.isTextual()) {
        throw decryptError(gr, namespace, name, "content is not a single JSON string", null);
      }
      text = node.textValue();
    } catch (IOException e) { // Jackson's parse errors included
      throw decryptError(gr, namespace, name, "content is not a valid JSON string", null);
    }
    try {
      return StdBase64.decode(text);
    } catch (IllegalArgumentException e) {
      throw decryptError(gr, namespace, name, e.getMessage(), null);
    }
  }

  private static DecryptionException decryptError(
      GroupResource gr, String namespace, String name, String reason, Throwable cause) {
    return new DecryptionException(
        "error decrypting encrypted resource ["
            + gr
            + "] "
            + objectName(namespace, name)
            + ": "
            + reason
            + ", provide same encryption config as used for backup",
        cause);
  }

  private static String objectName(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }
}

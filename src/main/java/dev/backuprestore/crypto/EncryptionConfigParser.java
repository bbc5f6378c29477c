package dev.backuprestore.crypto;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backuprestore.crypto.ConfigModel.Key;
import dev.backuprestore.crypto.ConfigModel.Provider;
import dev.backuprestore.crypto.ConfigModel.Rule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Decodes {@code EncryptionConfiguration} YAML as strictly as the API server does (its codec runs
 * in strict mode): unknown or duplicate fields and wrong types are errors, so that a typo such as
 * {@code secretsboxes} is reported instead of silently ignored. Validation is {@link
 * EncryptionConfigValidator}'s job.
 *
 * <p>Parser errors are reported with their position only: YAML libraries quote the offending line,
 * which may hold a key.
 */
final class EncryptionConfigParser {
  static final String API_VERSION = "apiserver.config.k8s.io/v1";
  static final String KIND = "EncryptionConfiguration";

  static final List<String> PROVIDER_TYPES =
      List.of("aesgcm", "aescbc", "secretbox", "identity", "kms");

  // The mapper builder keeps YAMLFactory's defaults, such as reading an empty value as null.
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private EncryptionConfigParser() {}

  static List<Rule> parse(byte[] yaml) {
    if (yaml == null || yaml.length == 0) {
      throw new EncryptionConfigException("encryption provider configuration is empty");
    }
    JsonNode root = readTree(yaml);
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new EncryptionConfigException("encryption provider configuration is empty");
    }
    requireObject(root, "", Set.of("apiVersion", "kind", "resources"));
    String apiVersion = string(root.get("apiVersion"), "apiVersion");
    String kind = string(root.get("kind"), "kind");
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw new EncryptionConfigException(
          "encryption provider configuration must have apiVersion "
              + API_VERSION
              + " and kind "
              + KIND
              + ", got apiVersion \""
              + apiVersion
              + "\" and kind \""
              + kind
              + "\"");
    }
    List<Rule> rules = new ArrayList<>();
    List<JsonNode> ruleNodes = list(root.get("resources"), "resources");
    for (int i = 0; i < ruleNodes.size(); i++) {
      rules.add(rule(ruleNodes.get(i), "resources[" + i + "]"));
    }
    return rules;
  }

  private static Rule rule(JsonNode node, String path) {
    requireObject(node, path, Set.of("resources", "providers"));
    List<String> resources = new ArrayList<>();
    List<JsonNode> resourceNodes = list(node.get("resources"), path + ".resources");
    for (int i = 0; i < resourceNodes.size(); i++) {
      resources.add(string(resourceNodes.get(i), path + ".resources[" + i + "]"));
    }
    List<Provider> providers = new ArrayList<>();
    List<JsonNode> providerNodes = list(node.get("providers"), path + ".providers");
    for (int i = 0; i < providerNodes.size(); i++) {
      providers.add(provider(providerNodes.get(i), path + ".providers[" + i + "]"));
    }
    return new Rule(List.copyOf(resources), List.copyOf(providers));
  }

  private static Provider provider(JsonNode node, String path) {
    requireObject(node, path, Set.copyOf(PROVIDER_TYPES));
    List<String> types = new ArrayList<>();
    List<Key> keys = List.of();
    for (String type : PROVIDER_TYPES) {
      JsonNode value = node.get(type);
      if (value == null || value.isNull()) {
        continue; // a nil pointer in Go: not set
      }
      types.add(type);
      String typePath = path + "." + type;
      switch (type) {
        case "identity" -> requireObject(value, typePath, Set.of());
        case "kms" -> requireObject(value, typePath, null); // rejected by the validator
        default -> {
          requireObject(value, typePath, Set.of("keys"));
          keys = keys(value.get("keys"), typePath + ".keys");
        }
      }
    }
    return new Provider(List.copyOf(types), keys);
  }

  private static List<Key> keys(JsonNode node, String path) {
    List<Key> keys = new ArrayList<>();
    List<JsonNode> keyNodes = list(node, path);
    for (int i = 0; i < keyNodes.size(); i++) {
      JsonNode keyNode = keyNodes.get(i);
      String keyPath = path + "[" + i + "]";
      requireObject(keyNode, keyPath, Set.of("name", "secret"));
      keys.add(
          new Key(
              string(keyNode.get("name"), keyPath + ".name"),
              string(keyNode.get("secret"), keyPath + ".secret")));
    }
    return List.copyOf(keys);
  }

  private static JsonNode readTree(byte[] yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (JacksonException e) {
      JsonLocation where = e.getLocation();
      String position =
          where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
      throw new EncryptionConfigException(
          "encryption provider configuration is not valid YAML" + position);
    } catch (IOException e) {
      throw new EncryptionConfigException("encryption provider configuration cannot be read");
    }
  }

  /** Checks that the node is a mapping whose fields are all known; {@code null} allows any. */
  private static void requireObject(JsonNode node, String path, Set<String> knownFields) {
    if (!node.isObject()) {
      throw typeError(path.isEmpty() ? "the document" : path, "a mapping");
    }
    if (knownFields == null) {
      return;
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!knownFields.contains(field)) {
        throw new EncryptionConfigException(
            "strict decoding error: unknown field \""
                + (path.isEmpty() ? field : path + "." + field)
                + "\"");
      }
    }
  }

  private static List<JsonNode> list(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw typeError(path, "a list");
    }
    List<JsonNode> items = new ArrayList<>();
    node.forEach(items::add);
    return items;
  }

  private static String string(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw typeError(path, "a string");
    }
    return node.textValue();
  }

  private static EncryptionConfigException typeError(String path, String expected) {
    return new EncryptionConfigException(
        "invalid encryption provider configuration: " + path + " must be " + expected);
  }
}

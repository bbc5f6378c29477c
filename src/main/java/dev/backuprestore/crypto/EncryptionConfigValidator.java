package dev.backuprestore.crypto;

import dev.backuprestore.crypto.ConfigModel.Key;
import dev.backuprestore.crypto.ConfigModel.Provider;
import dev.backuprestore.crypto.ConfigModel.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Kubernetes' {@code ValidateEncryptionConfiguration}
 * (k8s.io/apiserver/pkg/apis/apiserver/validation), with the same rules and messages, plus one rule
 * of ours: {@code kms} is rejected because it needs a plugin socket in the operator pod, and the
 * placeholder of our examples ({@link #KEY_PLACEHOLDER}) gets a message that says how to make a
 * key. Secrets are always printed as {@code REDACTED}.
 */
final class EncryptionConfigValidator {
  private static final List<Integer> AES_KEY_SIZES = List.of(16, 24, 32);
  private static final List<Integer> SECRETBOX_KEY_SIZES = List.of(32);
  private static final GroupResource ANY = new GroupResource("*", "*");

  /**
   * What the examples and docs have where a key goes: never a valid key (not base64), so a
   * copy-pasted example cannot encrypt with a key that everyone knows.
   */
  static final String KEY_PLACEHOLDER = "<REPLACE WITH: head -c 32 /dev/urandom | base64>";

  /** The one-line command that makes a 32-byte key (aescbc, aesgcm or secretbox). */
  static final String KEY_COMMAND = "head -c 32 /dev/urandom | base64";

  private EncryptionConfigValidator() {}

  /** Returns every problem found, in document order; empty when the configuration is valid. */
  static List<String> validate(List<Rule> rules) {
    List<String> errors = new ArrayList<>();
    if (rules.isEmpty()) {
      errors.add("resources: Required value: at least one resources is required");
      return errors;
    }
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      String resourcesPath = "resources[" + i + "].resources";
      String providersPath = "resources[" + i + "].providers";
      if (rule.resources().isEmpty()) {
        errors.add(
            resourcesPath + ": Required value: at least one " + resourcesPath + " is required");
      }
      validateOverlap(rule.resources(), resourcesPath, errors);
      validateResourceNames(rule.resources(), resourcesPath, errors);
      if (rule.providers().isEmpty()) {
        errors.add(
            providersPath + ": Required value: at least one " + providersPath + " is required");
      }
      for (int j = 0; j < rule.providers().size(); j++) {
        validateProvider(rule.providers().get(j), providersPath + "[" + j + "]", errors);
      }
    }
    return errors;
  }

  private static void validateOverlap(List<String> resources, String path, List<String> errors) {
    if (resources.size() < 2) {
      return;
    }
    List<GroupResource> parsed = resources.stream().map(GroupResource::parse).toList();
    boolean duplicate = false;
    boolean overlap = false;
    for (int i = 0; i < parsed.size(); i++) {
      for (int j = 0; j < parsed.size(); j++) {
        if (i == j) {
          continue;
        }
        GroupResource a = parsed.get(i);
        GroupResource b = parsed.get(j);
        // Same control flow as Go: only the first duplicate pair skips the overlap checks.
        if (a.equals(b) && !duplicate) {
          duplicate = true;
        } else if (!overlap) {
          overlap =
              a.equals(ANY)
                  || a.group().equals(b.group())
                      && (a.resource().equals("*") || b.resource().equals("*"));
        }
      }
    }
    if (duplicate) {
      errors.add(
          path
              + ": Invalid value: "
              + resources
              + ": the same resource cannot be specified multiple times");
    }
    if (overlap) {
      errors.add(
          path
              + ": Invalid value: "
              + resources
              + ": using overlapping resources such as 'secrets' and '*.' in the same resource"
              + " list is not allowed as they will be masked");
    }
  }

  private static void validateResourceNames(
      List<String> resources, String path, List<String> errors) {
    for (int j = 0; j < resources.size(); j++) {
      String resource = resources.get(j);
      String problem = resourceNameProblem(resource);
      if (problem != null) {
        errors.add(path + "[" + j + "]: Invalid value: \"" + resource + "\": " + problem);
      }
    }
  }

  private static String resourceNameProblem(String resource) {
    if (!resource.toLowerCase(Locale.ROOT).equals(resource)) {
      return "resource name should not contain capital letters";
    }
    if (resource.equals("*")) {
      return "use '*.' to encrypt all the resources from core API group or *.* to encrypt all"
          + " resources";
    }
    if (Set.of("apiserveripinfo", "serviceipallocations", "servicenodeportallocations")
        .contains(resource)) {
      return "resources which do not have REST API/s cannot be encrypted";
    }
    GroupResource gr = GroupResource.parse(resource);
    if (gr.group().equals("events.k8s.io")) {
      return "'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use"
          + " 'events' instead in the config file";
    }
    if (gr.group().equals("extensions")) {
      return "'extensions' group has been removed and cannot be used for encryption";
    }
    if (gr.group().equals("*") && !gr.resource().equals("*")) {
      return "encrypting the same resource across groups is not supported";
    }
    return null;
  }

  private static void validateProvider(Provider provider, String path, List<String> errors) {
    if (provider.types().isEmpty()) {
      errors.add(
          path
              + ": Invalid value: provider does not contain any of the expected providers: KMS,"
              + " AESGCM, AESCBC, Secretbox, Identity");
      return;
    }
    if (provider.types().size() > 1) {
      errors.add(
          path
              + ": Invalid value: "
              + provider.types()
              + ": more than one provider specified in a single element, should split into"
              + " different list elements");
      return;
    }
    String type = provider.type();
    switch (type) {
      case "kms" -> errors.add(path + ".kms: kms providers are not supported");
      case "aesgcm", "aescbc" ->
          validateKeys(provider.keys(), path + "." + type, AES_KEY_SIZES, errors);
      case "secretbox" ->
          validateKeys(provider.keys(), path + ".secretbox", SECRETBOX_KEY_SIZES, errors);
      default -> {
        // identity has nothing to validate
      }
    }
  }

  private static void validateKeys(
      List<Key> keys, String providerPath, List<Integer> sizes, List<String> errors) {
    String path = providerPath + ".keys";
    if (keys.isEmpty()) {
      errors.add(path + ": Required value: at least one keys is required");
      return;
    }
    // Kubernetes accepts the same key name twice in a provider (reads then try both keys in order),
    // so configs that work with the apiserver and Rancher work here too.
    for (int i = 0; i < keys.size(); i++) {
      Key key = keys.get(i);
      String keyPath = path + "[" + i + "]";
      if (key.name().isEmpty()) {
        errors.add(keyPath + ".name: Required value: name is a mandatory field for a key");
      }
      validateSecret(key.secret(), keyPath + ".secret", sizes, errors);
    }
  }

  private static void validateSecret(
      String secret, String path, List<Integer> sizes, List<String> errors) {
    if (secret.isEmpty()) {
      errors.add(path + ": Required value: secret is a mandatory field for a key");
      return;
    }
    if (secret.startsWith("<") && secret.endsWith(">")) {
      errors.add(
          path
              + ": Invalid value: the example placeholder "
              + secret
              + " is not a key: put your key there (a new one is the output of: "
              + KEY_COMMAND
              + ")");
      return;
    }
    byte[] decoded;
    try {
      decoded = StdBase64.decode(secret);
    } catch (IllegalArgumentException e) {
      errors.add(path + ": Invalid value: \"REDACTED\": secrets must be base64 encoded");
      return;
    }
    int length = decoded.length;
    Arrays.fill(decoded, (byte) 0);
    if (!sizes.contains(length)) {
      errors.add(
          path
              + ": Invalid value: \"REDACTED\": secret is not of the expected length, got "
              + length
              + ", expected one of "
              + sizes.toString().replace(",", ""));
    }
  }
}

package dev.backuprestore.crypto;

import dev.backuprestore.crypto.ConfigModel.Key;
import dev.backuprestore.crypto.ConfigModel.Provider;
import dev.backuprestore.crypto.ConfigModel.Rule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A parsed and validated {@code apiserver.config.k8s.io/v1 EncryptionConfiguration}: the
 * transformer of every configured group-resource, built as Kubernetes' {@code LoadEncryptionConfig}
 * builds them. Keys are held only inside the transformers, in memory.
 */
public final class EncryptionConfig {
  /** The data key of the encryption Secret, as in Rancher Backups. */
  public static final String SECRET_DATA_KEY = "encryption-provider-config.yaml";

  private static final GroupResource ANY = new GroupResource("*", "*");

  private final Map<GroupResource, Transformer> transformers;

  private EncryptionConfig(Map<GroupResource, Transformer> transformers) {
    this.transformers = Map.copyOf(transformers);
  }

  /**
   * Parses and validates the YAML bytes of an {@code EncryptionConfiguration}.
   *
   * @throws EncryptionConfigException listing every problem; never contains key material
   */
  public static EncryptionConfig parse(byte[] yaml) {
    return parse(yaml, NonceSource.secureRandom());
  }

  /**
   * Reads the configuration from the data of the encryption Secret (values base64-encoded, as in
   * {@code Secret.getData()}).
   *
   * @throws EncryptionConfigException "no encryptionConfig provided" when the key is missing
   */
  public static EncryptionConfig fromSecretData(Map<String, String> secretData) {
    String encoded = secretData == null ? null : secretData.get(SECRET_DATA_KEY);
    if (encoded == null) {
      throw new EncryptionConfigException("no encryptionConfig provided");
    }
    byte[] yaml;
    try {
      yaml = Base64.getMimeDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new EncryptionConfigException(
          "the value of " + SECRET_DATA_KEY + " in the encryption Secret is not base64");
    }
    try {
      return parse(yaml);
    } finally {
      Arrays.fill(yaml, (byte) 0);
    }
  }

  static EncryptionConfig parse(byte[] yaml, NonceSource nonces) {
    List<Rule> rules = EncryptionConfigParser.parse(yaml);
    List<String> errors = EncryptionConfigValidator.validate(rules);
    if (!errors.isEmpty()) {
      throw new EncryptionConfigException(
          "invalid encryption provider configuration: "
              + (errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]"));
    }
    return new EncryptionConfig(build(rules, nonces));
  }

  /**
   * The transformer Kubernetes would use for this resource: an exact {@code resource.group} rule,
   * else {@code *.group}, else {@code *.*}, else the identity transformer (which refuses encrypted
   * data). The core group is {@code ""}.
   */
  public Transformer transformerFor(String group, String resource) {
    GroupResource exact = new GroupResource(group, resource);
    Transformer found = transformers.get(exact);
    if (found == null) {
      found = transformers.get(new GroupResource(group, "*"));
    }
    if (found == null) {
      found = transformers.get(ANY);
    }
    return found == null ? IdentityTransformer.INSTANCE : found;
  }

  /** Rules and provider names only, never keys. */
  @Override
  public String toString() {
    return transformers.entrySet().stream()
        .map(e -> yamlString(e.getKey()) + "=" + e.getValue())
        .sorted()
        .collect(Collectors.joining(", ", "EncryptionConfig[", "]"));
  }

  private static Map<GroupResource, Transformer> build(List<Rule> rules, NonceSource nonces) {
    Map<GroupResource, List<PrefixTransformers.Entry>> byResource = new LinkedHashMap<>();
    for (Rule rule : rules) {
      List<PrefixTransformers.Entry> providers = new ArrayList<>();
      for (Provider provider : rule.providers()) {
        providers.add(providerEntry(provider, nonces));
      }
      for (String resource : rule.resources()) {
        GroupResource gr = GroupResource.parse(resource);
        rejectMasked(byResource, gr, new GroupResource(gr.group(), "*"));
        rejectMasked(byResource, gr, ANY);
        // A resource named again in a later rule gets the later providers too (read only).
        byResource.computeIfAbsent(gr, k -> new ArrayList<>()).addAll(providers);
      }
    }
    Map<GroupResource, Transformer> result = new LinkedHashMap<>();
    byResource.forEach(
        (gr, entries) ->
            result.put(gr, new PrefixTransformers(entries, "no matching prefix found")));
    return result;
  }

  private static void rejectMasked(
      Map<GroupResource, ?> earlier, GroupResource resource, GroupResource wildcard) {
    if (earlier.containsKey(wildcard)) {
      throw new EncryptionConfigException(
          "invalid encryption provider configuration: resource \""
              + yamlString(resource)
              + "\" is masked by earlier rule \""
              + yamlString(wildcard)
              + "\"");
    }
  }

  private static PrefixTransformers.Entry providerEntry(Provider provider, NonceSource nonces) {
    String type = provider.type();
    if (type.equals("identity")) {
      return new PrefixTransformers.Entry(new byte[0], IdentityTransformer.INSTANCE);
    }
    List<PrefixTransformers.Entry> keys = new ArrayList<>();
    for (Key key : provider.keys()) {
      byte[] secret = StdBase64.decode(key.secret());
      try {
        Transformer transformer =
            switch (type) {
              case "aescbc" -> new AesCbcTransformer(secret, nonces);
              case "aesgcm" -> new AesGcmTransformer(secret, nonces);
              case "secretbox" -> new SecretboxTransformer(secret, nonces);
              default -> throw new IllegalStateException("unvalidated provider " + type);
            };
        keys.add(new PrefixTransformers.Entry(ascii(key.name() + ":"), transformer));
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }
    String noKey =
        "no matching key was found for the provided "
            + (type.equals("secretbox") ? "Secretbox" : "AES")
            + " transformer";
    return new PrefixTransformers.Entry(
        ascii("k8s:enc:" + type + ":v1:"), new PrefixTransformers(keys, noKey));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Kubernetes' grYAMLString: {@code *.} for all core resources, else resource.group. */
  private static String yamlString(GroupResource gr) {
    return gr.group().isEmpty() && gr.resource().equals("*") ? "*." : gr.toString();
  }
}

package dev.backuprestore.crypto;

import static dev.backuprestore.crypto.RancherConfigs.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kubernetes' validation rules; the expected messages are those printed by the API server's loader
 * (k8s.io/apiserver v0.34.4) for the same input.
 */
class EncryptionConfigValidationTest {
  private static final String HEADER =
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n";

  /** 15 bytes, 16 bytes and 32 bytes of key material. */
  private static final String KEY_15 = "MDEyMzQ1Njc4OWFiY2Rl";

  private static final String KEY_16 = "MDEyMzQ1Njc4OWFiY2RlZg==";
  private static final String KEY_24 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3";
  private static final String KEY_32 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  private static String rule(String resources, String providers) {
    return HEADER + "resources:\n  - resources: " + resources + "\n    providers: " + providers;
  }

  private static EncryptionConfigException rejected(String yaml) {
    try {
      EncryptionConfig.parse(bytes(yaml));
    } catch (EncryptionConfigException e) {
      return e;
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @ParameterizedTest(name = "{0} with a {1}-byte key")
  @CsvSource({
    "aescbc, 16, true", "aescbc, 24, true", "aescbc, 32, true", "aescbc, 15, false",
    "aesgcm, 16, true", "aesgcm, 24, true", "aesgcm, 32, true", "aesgcm, 15, false",
    "secretbox, 32, true", "secretbox, 16, false", "secretbox, 24, false",
  })
  void keySizes(String provider, int size, boolean valid) {
    String key =
        switch (size) {
          case 15 -> KEY_15;
          case 16 -> KEY_16;
          case 24 -> KEY_24;
          default -> KEY_32;
        };
    String yaml =
        rule("[secrets]", "[{" + provider + ": {keys: [{name: k, secret: " + key + "}]}}]");

    if (valid) {
      assertThatCode(() -> EncryptionConfig.parse(bytes(yaml))).doesNotThrowAnyException();
    } else {
      assertThat(rejected(yaml))
          .hasMessageContaining(
              "resources[0].providers[0]."
                  + provider
                  + ".keys[0].secret: Invalid value:"
                  + " \"REDACTED\": secret is not of the expected length, got "
                  + size)
          .hasMessageNotContaining(key);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"aescbc", "aesgcm", "secretbox"})
  void theExamplesPlaceholderIsRejectedWithTheCommandThatMakesAKey(String provider) {
    String yaml =
        rule(
            "[secrets]",
            "[{"
                + provider
                + ": {keys: [{name: k, secret: '"
                + EncryptionConfigValidator.KEY_PLACEHOLDER
                + "'}]}}]");

    assertThat(rejected(yaml))
        .hasMessageContaining("resources[0].providers[0]." + provider + ".keys[0].secret")
        .hasMessageContaining("is not a key")
        .hasMessageContaining("head -c 32 /dev/urandom | base64");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "YWJ|secrets must be base64 encoded",
        "MDEyMzQ1Njc4OWFiY2RlZg|secrets must be base64 encoded",
        "MDEyMzQ1Njc4OWFiY2RlZg=!|secrets must be base64 encoded",
        "''|secret is a mandatory field for a key",
      })
  void secretsMustBePaddedBase64(String secret, String message) {
    String yaml = rule("[secrets]", "[{aescbc: {keys: [{name: k, secret: " + secret + "}]}}]");

    assertThat(rejected(yaml))
        .hasMessageContaining("resources[0].providers[0].aescbc.keys[0].secret")
        .hasMessageContaining(message);
    if (secret.length() > 2) {
      assertThat(rejected(yaml)).hasMessageNotContaining(secret);
    }
  }

  @Test
  void keyNamesAreRequiredButMayRepeatAsInKubernetes() {
    String yaml =
        rule(
            "[secrets]",
            "[{aesgcm: {keys: [{name: '', secret: %1$s}, {name: a, secret: %1$s},".formatted(KEY_16)
                + " {name: a, secret: %s}]}}]".formatted(KEY_16));

    assertThat(rejected(yaml))
        .hasMessageContaining(
            "resources[0].providers[0].aesgcm.keys[0].name: Required value: name is a mandatory"
                + " field for a key")
        .hasMessageNotContaining("keys[2]")
        .hasMessageNotContaining(KEY_16);
  }

  @Test
  void sameKeyNameInDifferentProvidersIsFine() {
    assertThatCode(() -> EncryptionConfig.parse(bytes(RancherConfigs.EXAMPLE)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[secrets]|[]|resources[0].providers: Required value: at least one resources[0].providers"
            + " is required",
        "[]|[{identity: {}}]|resources[0].resources: Required value: at least one"
            + " resources[0].resources is required",
        "[secrets]|[{aescbc: {keys: []}}]|resources[0].providers[0].aescbc.keys: Required value:"
            + " at least one keys is required",
        "[secrets]|[{secretbox: {}}]|resources[0].providers[0].secretbox.keys: Required value:"
            + " at least one keys is required",
        "[secrets]|[{identity: }]|provider does not contain any of the expected providers",
        "[secrets]|[{}]|provider does not contain any of the expected providers",
        "[secrets]|[{identity: {}, aescbc: {keys: [{name: a, secret: "
            + KEY_16
            + "}]}}]|"
            + "more than one provider specified in a single element",
        "[secrets]|[{kms: {apiVersion: v2, name: x, endpoint: 'unix:///kms.sock'}}]|"
            + "resources[0].providers[0].kms: kms providers are not supported",
        "[Secrets]|[{identity: {}}]|resource name should not contain capital letters",
        "['*']|[{identity: {}}]|use '*.' to encrypt all the resources from core API group",
        "['secrets.*']|[{identity: {}}]|encrypting the same resource across groups is not"
            + " supported",
        "[events.events.k8s.io]|[{identity: {}}]|Use 'events' instead in the config file",
        "[ingresses.extensions]|[{identity: {}}]|'extensions' group has been removed",
        "[serviceipallocations]|[{identity: {}}]|resources which do not have REST API/s cannot be"
            + " encrypted",
        "[secrets, secrets]|[{identity: {}}]|the same resource cannot be specified multiple times",
        "[secrets, '*.']|[{identity: {}}]|using overlapping resources such as 'secrets' and '*.'",
        "['*.*', deployments.apps]|[{identity: {}}]|using overlapping resources",
        "[deployments.apps, '*.apps']|[{identity: {}}]|using overlapping resources",
      })
  void kubernetesValidationRules(String resources, String providers, String message) {
    assertThat(rejected(rule(resources, providers))).hasMessageContaining(message);
  }

  @Test
  void differentGroupsDoNotOverlap() {
    assertThatCode(
            () ->
                EncryptionConfig.parse(
                    bytes(rule("[secrets, '*.apps', configmaps]", "[{identity: {}}]"))))
        .doesNotThrowAnyException();
  }

  @Test
  void everyProblemIsReported() {
    String yaml = rule("[Secrets]", "[{aescbc: {keys: [{name: '', secret: " + KEY_15 + "}]}}, {}]");

    assertThat(rejected(yaml))
        .hasMessageContaining("capital letters")
        .hasMessageContaining("name is a mandatory field")
        .hasMessageContaining("got 15")
        .hasMessageContaining("resources[0].providers[1]: Invalid value");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown top-level field|metadata: {name: x}|unknown field \"metadata\"",
        "unknown key field|resources: [{resources: [secrets], providers: [{aescbc: {keys:"
            + " [{name: a, secret: x, extra: 1}]}}]}]|unknown field"
            + " \"resources[0].providers[0].aescbc.keys[0].extra\"",
        "identity with fields|resources: [{resources: [secrets], providers: [{identity: {a:"
            + " 1}}]}]|unknown field \"resources[0].providers[0].identity.a\"",
        "no resources|resources: []|resources: Required value: at least one resources is required",
        "resources not a list|resources: secrets|resources must be a list",
        "numeric key name|resources: [{resources: [secrets], providers: [{aescbc: {keys: [{name:"
            + " 1, secret: x}]}}]}]|resources[0].providers[0].aescbc.keys[0].name must be a string",
      })
  void decodingIsStrict(String description, String body, String message) {
    assertThat(rejected(HEADER + body)).hasMessageContaining(message);
  }

  @Test
  void apiVersionAndKindMustBeTheEncryptionConfiguration() {
    assertThat(rejected("apiVersion: v1\nkind: EncryptionConfiguration\nresources: []"))
        .hasMessageContaining("apiVersion apiserver.config.k8s.io/v1");
    assertThat(rejected("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfig\n"))
        .hasMessageContaining("kind EncryptionConfiguration");
    assertThat(rejected("kind: EncryptionConfiguration\nresources: []"))
        .hasMessageContaining("apiVersion");
  }

  @Test
  void duplicateFieldsAreRejected() {
    assertThat(rejected(HEADER + "kind: EncryptionConfiguration\nresources: []"))
        .isInstanceOf(EncryptionConfigException.class);
  }

  @Test
  void emptyOrNonYamlInputIsRejectedWithoutQuotingIt() {
    assertThat(rejected("")).hasMessageContaining("empty");
    assertThat(rejected("# only a comment\n")).hasMessageContaining("empty");
    String broken = HEADER + "resources:\n  - secret: \"" + KEY_32 + "\n  : [";

    assertThat(rejected(broken))
        .hasMessageContaining("not valid YAML at line")
        .hasMessageNotContaining(KEY_32);
    assertThat(rejected(broken).getCause()).isNull();
  }
}

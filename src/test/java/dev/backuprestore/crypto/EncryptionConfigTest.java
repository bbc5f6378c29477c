package dev.backuprestore.crypto;

import static dev.backuprestore.crypto.RancherConfigs.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncryptionConfigTest {
  private static final String KEY_16 = "c2VjcmV0IGlzIHNlY3VyZQ==";
  private static final String KEY_32 = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=";
  private static final byte[] JSON = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  /** The provider and key prefix that sealing writes for this resource, or "" if none. */
  private static String writerOf(EncryptionConfig config, String group, String resource) {
    byte[] sealed = ObjectCipher.of(config).seal(group, resource, "ns", "n", JSON);
    if (sealed[0] != '"') {
      return "";
    }
    String stored =
        new String(
            Base64.getDecoder().decode(new String(sealed, 1, sealed.length - 2)),
            StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher prefix = Pattern.compile("^k8s:enc:[a-z]+:v1:[^:]+:").matcher(stored);
    assertThat(prefix.find()).as("stored value has a provider and key prefix").isTrue();
    return prefix.group();
  }

  @Test
  void rancherWildcardEncryptsEveryResource() {
    EncryptionConfig config = EncryptionConfig.parse(bytes(RancherConfigs.WILDCARD));

    assertThat(writerOf(config, "", "namespaces")).isEqualTo("k8s:enc:secretbox:v1:key1:");
    assertThat(writerOf(config, "", "secrets")).isEqualTo("k8s:enc:secretbox:v1:key1:");
    assertThat(writerOf(config, "apiextensions.k8s.io", "customresourcedefinitions"))
        .isEqualTo("k8s:enc:secretbox:v1:key1:");
  }

  @Test
  void rancherPartialWildcardEncryptsOnlyTheAppsGroup() {
    EncryptionConfig config = EncryptionConfig.parse(bytes(RancherConfigs.PARTIAL_WILDCARD));

    assertThat(writerOf(config, "apps", "deployments")).isEqualTo("k8s:enc:secretbox:v1:key1:");
    assertThat(writerOf(config, "apps", "statefulsets")).isEqualTo("k8s:enc:secretbox:v1:key1:");
    assertThat(writerOf(config, "", "secrets")).isEmpty();
    assertThat(writerOf(config, "apps.example.com", "deployments")).isEmpty();
  }

  @Test
  void rancherSpecificResourceEncryptsOnlyServiceAccounts() {
    EncryptionConfig config = EncryptionConfig.parse(bytes(RancherConfigs.SPECIFIC_RESOURCE));

    assertThat(writerOf(config, "", "serviceaccounts")).isEqualTo("k8s:enc:secretbox:v1:key1:");
    assertThat(writerOf(config, "", "secrets")).isEmpty();
    assertThat(writerOf(config, "", "namespaces")).isEmpty();
    assertThat(writerOf(config, "example.com", "serviceaccounts")).isEmpty();
  }

  @Test
  void rancherInvalidConfigIsRejectedWithoutShowingTheKey() {
    assertThatThrownBy(() -> EncryptionConfig.parse(bytes(RancherConfigs.INVALID)))
        .isInstanceOf(EncryptionConfigException.class)
        .hasMessageContaining("unknown field \"resources[0].providers[0].secretsboxes\"")
        .hasMessageNotContaining("YWJjZGVm")
        .satisfies(e -> assertThat(((EncryptionConfigException) e).isPermanent()).isTrue());
  }

  @Test
  void rancherExampleWritesWithTheFirstKeyOfTheFirstProvider() {
    EncryptionConfig config = EncryptionConfig.parse(bytes(RancherConfigs.EXAMPLE));

    assertThat(writerOf(config, "", "secrets")).isEqualTo("k8s:enc:aesgcm:v1:key1:");
    assertThat(writerOf(config, "", "configmaps")).isEmpty();
  }

  private static final String PRECEDENCE =
      """
      apiVersion: apiserver.config.k8s.io/v1
      kind: EncryptionConfiguration
      resources:
        - resources: [secrets, deployments.apps]
          providers: [{aescbc: {keys: [{name: exact, secret: %1$s}]}}]
        - resources: ["*."]
          providers: [{aesgcm: {keys: [{name: core, secret: %1$s}]}}]
        - resources: ["*.apps"]
          providers: [{secretbox: {keys: [{name: apps, secret: %2$s}]}}]
        - resources: ["*.*"]
          providers: [{aescbc: {keys: [{name: any, secret: %1$s}]}}]
      """
          .formatted(KEY_16, KEY_32);

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    "'', secrets, k8s:enc:aescbc:v1:exact:",
    "'', configmaps, k8s:enc:aesgcm:v1:core:",
    "'', namespaces, k8s:enc:aesgcm:v1:core:",
    "apps, deployments, k8s:enc:aescbc:v1:exact:",
    "apps, statefulsets, k8s:enc:secretbox:v1:apps:",
    "batch, jobs, k8s:enc:aescbc:v1:any:",
    "example.com, secrets, k8s:enc:aescbc:v1:any:",
  })
  void exactRuleThenGroupWildcardThenAnyWildcard(String group, String resource, String writer) {
    EncryptionConfig config = EncryptionConfig.parse(bytes(PRECEDENCE));

    assertThat(writerOf(config, group, resource)).isEqualTo(writer);
  }

  @Test
  void unmatchedResourcesAreNotEncrypted() {
    EncryptionConfig config =
        EncryptionConfig.parse(bytes(RancherConfigs.single("secrets", "aescbc", "k", KEY_16)));

    assertThat(writerOf(config, "", "secrets")).isEqualTo("k8s:enc:aescbc:v1:k:");
    assertThat(writerOf(config, "", "configmaps")).isEmpty();
    assertThat(ObjectCipher.of(config).seal("", "configmaps", "ns", "n", JSON)).isSameAs(JSON);
  }

  @Test
  void aResourceAfterItsWildcardIsMasked() {
    String yaml =
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: ["*."]
            providers: [{identity: {}}]
          - resources: [secrets]
            providers: [{identity: {}}]
        """;

    assertThatThrownBy(() -> EncryptionConfig.parse(bytes(yaml)))
        .isInstanceOf(EncryptionConfigException.class)
        .hasMessageContaining("resource \"secrets\" is masked by earlier rule \"*.\"");
  }

  @Test
  void anythingAfterTheAnyWildcardIsMasked() {
    String yaml =
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: ["*.*"]
            providers: [{identity: {}}]
          - resources: ["*.apps"]
            providers: [{identity: {}}]
        """;

    assertThatThrownBy(() -> EncryptionConfig.parse(bytes(yaml)))
        .hasMessageContaining("resource \"*.apps\" is masked by earlier rule \"*.*\"");
  }

  @Test
  void aResourceInTwoRulesWritesWithTheFirstAndReadsWithBoth() {
    String both =
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers: [{aescbc: {keys: [{name: new, secret: %s}]}}]
          - resources: [secrets, configmaps]
            providers: [{secretbox: {keys: [{name: old, secret: %s}]}}]
        """
            .formatted(KEY_16, KEY_32);
    EncryptionConfig config = EncryptionConfig.parse(bytes(both));
    byte[] sealedByOld =
        ObjectCipher.of(
                EncryptionConfig.parse(
                    bytes(RancherConfigs.single("secrets", "secretbox", "old", KEY_32))))
            .seal("", "secrets", "ns", "n", JSON);

    assertThat(writerOf(config, "", "secrets")).isEqualTo("k8s:enc:aescbc:v1:new:");
    assertThat(writerOf(config, "", "configmaps")).isEqualTo("k8s:enc:secretbox:v1:old:");
    assertThat(ObjectCipher.of(config).open("", "secrets", "ns", "n", sealedByOld)).isEqualTo(JSON);
  }

  @Test
  void identityFirstWritesPlaintextButStillReadsEncryptedData() {
    String migrating =
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - identity: {}
              - aescbc: {keys: [{name: k, secret: %s}]}
        """
            .formatted(KEY_16);
    EncryptionConfig config = EncryptionConfig.parse(bytes(migrating));
    byte[] sealed =
        ObjectCipher.of(
                EncryptionConfig.parse(
                    bytes(RancherConfigs.single("secrets", "aescbc", "k", KEY_16))))
            .seal("", "secrets", "ns", "n", JSON);

    assertThat(ObjectCipher.of(config).seal("", "secrets", "ns", "n", JSON)).isEqualTo(JSON);
    assertThat(ObjectCipher.of(config).open("", "secrets", "ns", "n", sealed)).isEqualTo(JSON);
  }

  @Test
  void keysMayBeWrappedOnSeveralLinesAsGoIgnoresNewlines() {
    String yaml =
        RancherConfigs.single("secrets", "aescbc", "k", "\"c2VjcmV0IGlz\\nIHNlY3VyZQ==\"");

    assertThat(writerOf(EncryptionConfig.parse(bytes(yaml)), "", "secrets"))
        .isEqualTo("k8s:enc:aescbc:v1:k:");
  }

  @Test
  void fromSecretDataReadsTheRancherKey() {
    String encoded = Base64.getEncoder().encodeToString(bytes(RancherConfigs.EXAMPLE));

    EncryptionConfig config =
        EncryptionConfig.fromSecretData(Map.of("encryption-provider-config.yaml", encoded));

    assertThat(writerOf(config, "", "secrets")).isEqualTo("k8s:enc:aesgcm:v1:key1:");
  }

  @Test
  void fromSecretDataWithoutTheKeyFailsLikeRancher() {
    String encoded = Base64.getEncoder().encodeToString(bytes(RancherConfigs.EXAMPLE));

    assertThatThrownBy(() -> EncryptionConfig.fromSecretData(Map.of("config.yaml", encoded)))
        .isInstanceOf(EncryptionConfigException.class)
        .hasMessage("no encryptionConfig provided");
  }

  @Test
  void toStringShowsRulesAndKeyNamesButNoKeys() {
    EncryptionConfig config = EncryptionConfig.parse(bytes(RancherConfigs.EXAMPLE));

    assertThat(config.toString())
        .contains("secrets", "aesgcm", "key1", "key2")
        .doesNotContain(KEY_16, "dGhpcyBpcyBwYXNzd29yZA==", "secret is secure", KEY_32);
    assertThat(ObjectCipher.of(config).toString()).doesNotContain(KEY_16, "secret is secure");
  }
}

package dev.backuprestore.crypto;

import static dev.backuprestore.crypto.RancherConfigs.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectCipherTest {
  private static final String KEY_16 = "MDEyMzQ1Njc4OWFiY2RlZg==";
  private static final String KEY_24 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3";
  private static final String KEY_32 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  private static final String OTHER_32 = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=";
  private static final byte[] JSON =
      "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"foo\"}}"
          .getBytes(StandardCharsets.UTF_8);

  private static ObjectCipher cipher(String provider, String keyName, String secret) {
    return ObjectCipher.of(
        EncryptionConfig.parse(bytes(RancherConfigs.single("secrets", provider, keyName, secret))));
  }

  /** The bytes inside the quotes, base64-decoded: prefix || payload. */
  private static byte[] stored(byte[] sealed) {
    assertThat(sealed[0]).isEqualTo((byte) '"');
    assertThat(sealed[sealed.length - 1]).isEqualTo((byte) '"');
    return Base64.getDecoder()
        .decode(new String(sealed, 1, sealed.length - 2, StandardCharsets.US_ASCII));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "aescbc, " + KEY_16 + ", 16",
    "aescbc, " + KEY_24 + ", 16",
    "aescbc, " + KEY_32 + ", 16",
    "aesgcm, " + KEY_16 + ", 12",
    "aesgcm, " + KEY_24 + ", 12",
    "aesgcm, " + KEY_32 + ", 12",
    "secretbox, " + KEY_32 + ", 24",
  })
  void sealsAsQuotedBase64OfPrefixAndPayloadAndOpensBack(
      String provider, String secret, int nonceSize) {
    ObjectCipher cipher = cipher(provider, "key1", secret);

    byte[] namespaced = cipher.seal("", "secrets", "cattle-system", "foo", JSON);
    byte[] clusterScoped = cipher.seal("", "secrets", null, "foo", JSON);

    String prefix = "k8s:enc:" + provider + ":v1:key1:";
    assertThat(text(stored(namespaced))).startsWith(prefix);
    int overhead = prefix.length() + nonceSize + (provider.equals("aescbc") ? 0 : 16);
    int padding = provider.equals("aescbc") ? 16 - JSON.length % 16 : 0;
    assertThat(stored(namespaced)).hasSize(overhead + JSON.length + padding);
    assertThat(cipher.open("", "secrets", "cattle-system", "foo", namespaced)).isEqualTo(JSON);
    assertThat(cipher.open("", "secrets", null, "foo", clusterScoped)).isEqualTo(JSON);
    assertThat(cipher.open("", "secrets", "", "foo", clusterScoped)).isEqualTo(JSON);
  }

  @Test
  void everySealUsesAFreshNonce() {
    ObjectCipher cipher = cipher("aesgcm", "k", KEY_32);

    assertThat(cipher.seal("", "secrets", "ns", "a", JSON))
        .isNotEqualTo(cipher.seal("", "secrets", "ns", "a", JSON));
  }

  @Test
  void sealedContentIsExactlyRancherFormat() {
    ObjectCipher cipher =
        ObjectCipher.of(
            EncryptionConfig.parse(
                bytes(RancherConfigs.single("secrets", "aesgcm", "k", KEY_32)),
                FixedNonces.counting()));
    byte[] plaintext =
        "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"foo\"}}".getBytes(StandardCharsets.UTF_8);
    // Payload from TransformerKnownAnswerTest (Python cryptography, AAD "cattle-system#foo").
    byte[] payload =
        HexFormat.of()
            .parseHex(
                "000102030405060708090a0b56c7d015b77cf0968a8f14dd03aaa526ca2a6ee248dd10ea54bd998e"
                    + "c307c2e5d0ce14246bd3787fb358c692f444d432c36622a3f894a2994f3b49");
    byte[] prefix = "k8s:enc:aesgcm:v1:k:".getBytes(StandardCharsets.US_ASCII);
    byte[] stored = new byte[prefix.length + payload.length];
    System.arraycopy(prefix, 0, stored, 0, prefix.length);
    System.arraycopy(payload, 0, stored, prefix.length, payload.length);

    byte[] sealed = cipher.seal("", "secrets", "cattle-system", "foo", plaintext);

    assertThat(new String(sealed, StandardCharsets.US_ASCII))
        .isEqualTo("\"" + Base64.getEncoder().encodeToString(stored) + "\"");
  }

  @Test
  void aesgcmBindsTheObjectNameAndNamespace() {
    ObjectCipher cipher = cipher("aesgcm", "k", KEY_16);
    byte[] sealed = cipher.seal("", "secrets", "ns", "foo", JSON);

    assertThatThrownBy(() -> cipher.open("", "secrets", "other", "foo", sealed))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> cipher.open("", "secrets", "ns", "bar", sealed))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> cipher.open("", "secrets", null, "foo", sealed))
        .isInstanceOf(DecryptionException.class);
    // Rancher's AAD is a plain string: a cluster-scoped name "ns#foo" gives the same bytes.
    assertThat(cipher.open("", "secrets", null, "ns#foo", sealed)).isEqualTo(JSON);
  }

  @ParameterizedTest
  @CsvSource({"aescbc, " + KEY_16, "secretbox, " + KEY_32})
  void cbcAndSecretboxIgnoreTheAuthenticatedData(String provider, String secret) {
    ObjectCipher cipher = cipher(provider, "k", secret);
    byte[] sealed = cipher.seal("", "secrets", "ns", "foo", JSON);

    assertThat(cipher.open("", "secrets", "other", "bar", sealed)).isEqualTo(JSON);
  }

  @Test
  void afterKeyRotationTheOldKeyStillDecrypts() {
    String before = RancherConfigs.single("secrets", "aescbc", "old", KEY_16);
    String after =
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - aescbc:
                  keys:
                    - {name: new, secret: %s}
                    - {name: old, secret: %s}
        """
            .formatted(KEY_32, KEY_16);
    ObjectCipher oldCipher = ObjectCipher.of(EncryptionConfig.parse(bytes(before)));
    ObjectCipher newCipher = ObjectCipher.of(EncryptionConfig.parse(bytes(after)));
    byte[] sealedBefore = oldCipher.seal("", "secrets", "ns", "foo", JSON);
    byte[] sealedAfter = newCipher.seal("", "secrets", "ns", "foo", JSON);

    assertThat(newCipher.open("", "secrets", "ns", "foo", sealedBefore)).isEqualTo(JSON);
    assertThat(text(stored(sealedAfter))).startsWith("k8s:enc:aescbc:v1:new:");
    assertThat(newCipher.open("", "secrets", "ns", "foo", sealedAfter)).isEqualTo(JSON);
    assertThatThrownBy(() -> oldCipher.open("", "secrets", "ns", "foo", sealedAfter))
        .hasMessageContaining("no matching key was found for the provided AES transformer");
  }

  @Test
  void theRancherExampleReadsEveryProviderAndKey() {
    ObjectCipher example = ObjectCipher.of(EncryptionConfig.parse(bytes(RancherConfigs.EXAMPLE)));
    String[][] writers = {
      {"aesgcm", "key2", "dGhpcyBpcyBwYXNzd29yZA=="},
      {"aescbc", "key1", "c2VjcmV0IGlzIHNlY3VyZQ=="},
      {"aescbc", "key2", "dGhpcyBpcyBwYXNzd29yZA=="},
      {"secretbox", "key1", "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY="},
    };
    for (String[] writer : writers) {
      byte[] sealed = cipher(writer[0], writer[1], writer[2]).seal("", "secrets", "ns", "s", JSON);

      assertThat(example.open("", "secrets", "ns", "s", sealed)).as(writer[0]).isEqualTo(JSON);
    }
  }

  @Test
  void wrongKeyFailsWithRancherHint() {
    byte[] sealed = cipher("secretbox", "k", KEY_32).seal("", "secrets", "ns", "foo", JSON);

    assertThatThrownBy(
            () -> cipher("secretbox", "k", OTHER_32).open("", "secrets", "ns", "foo", sealed))
        .isInstanceOf(DecryptionException.class)
        .hasMessage(
            "error decrypting encrypted resource [secrets] ns/foo: secretbox: message"
                + " authentication failed, provide same encryption config as used for backup")
        .satisfies(e -> assertThat(((DecryptionException) e).isPermanent()).isTrue());
  }

  @Test
  void anotherProviderFailsWithNoMatchingPrefix() {
    byte[] sealed = cipher("secretbox", "k", KEY_32).seal("", "secrets", "ns", "foo", JSON);

    assertThatThrownBy(() -> cipher("aescbc", "k", KEY_32).open("", "secrets", "ns", "foo", sealed))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("no matching prefix found")
        .hasMessageContaining("provide same encryption config as used for backup");
  }

  @Test
  void aMissingKeyNameFails() {
    byte[] sealed = cipher("secretbox", "gone", KEY_32).seal("", "secrets", "ns", "foo", JSON);

    assertThatThrownBy(
            () -> cipher("secretbox", "k", KEY_32).open("", "secrets", "ns", "foo", sealed))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("no matching key was found for the provided Secretbox transformer");
  }

  @Test
  void withoutConfigNothingIsEncryptedAndEncryptedFilesFail() {
    byte[] sealed = cipher("aesgcm", "k", KEY_16).seal("apps", "deployments", "ns", "web", JSON);

    assertThat(ObjectCipher.none().seal("", "secrets", "ns", "foo", JSON)).isSameAs(JSON);
    assertThat(ObjectCipher.none().hasConfig()).isFalse();
    assertThat(sealed).isSameAs(JSON).as("deployments are not covered by a secrets rule");
    byte[] encrypted = cipher("aesgcm", "k", KEY_16).seal("", "secrets", "ns", "foo", JSON);
    assertThatThrownBy(() -> ObjectCipher.none().open("", "secrets", "ns", "foo", encrypted))
        .isInstanceOf(DecryptionException.class)
        .hasMessage(
            "error decrypting encrypted resource [secrets] ns/foo: identity transformer tried to"
                + " read encrypted data, provide same encryption config as used for backup");
  }

  @Test
  void aResourceOutsideTheRulesCannotReadEncryptedData() {
    ObjectCipher cipher = cipher("aesgcm", "k", KEY_16);
    byte[] sealed = cipher.seal("", "secrets", "ns", "foo", JSON);

    assertThatThrownBy(() -> cipher.open("", "configmaps", "ns", "foo", sealed))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("[configmaps] ns/foo")
        .hasMessageContaining("provide same encryption config as used for backup");
  }

  @Test
  void plainJsonIsReturnedUnchangedEvenWhenTheResourceIsEncrypted() {
    byte[] plain = " {\"a\":1}".getBytes(StandardCharsets.UTF_8);

    assertThat(cipher("aescbc", "k", KEY_16).open("", "secrets", "ns", "foo", JSON)).isSameAs(JSON);
    assertThat(ObjectCipher.none().open("", "secrets", "ns", "foo", plain)).isSameAs(plain);
  }

  @Test
  void quotedBase64OfPlainJsonIsDecodedLikeGo() {
    byte[] quoted =
        ("\"" + Base64.getEncoder().encodeToString(JSON) + "\"\n").getBytes(StandardCharsets.UTF_8);

    assertThat(ObjectCipher.none().open("", "configmaps", "ns", "c", quoted)).isEqualTo(JSON);
  }

  @Test
  void identityAsFirstProviderKeepsPlainJson() {
    ObjectCipher cipher =
        ObjectCipher.of(
            EncryptionConfig.parse(
                bytes(
                    RancherConfigs.single("secrets", "aescbc", "k", KEY_16)
                        .replace("providers:\n", "providers:\n      - identity: {}\n"))));

    assertThat(cipher.seal("", "secrets", "ns", "foo", JSON)).isEqualTo(JSON);
  }

  @Test
  void emptyContentIsAnError() {
    assertThatThrownBy(() -> ObjectCipher.none().open("", "secrets", "ns", "foo", new byte[0]))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("[secrets] ns/foo is empty");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"not base64!\"|illegal base64 data",
        "\"YWJj\"x|content is not a valid JSON string",
        "\"YWJ|content is not a valid JSON string",
        "\"YWJ\"|illegal base64 data",
      })
  void malformedEncryptedContentIsADecryptionError(String content, String reason) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> cipher("aescbc", "k", KEY_16).open("apps", "deployments", null, "web", bytes))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("[deployments.apps] web: " + reason)
        .hasMessageContaining("provide same encryption config as used for backup");
  }

  @Test
  void errorMessagesNeverContainKeys() {
    byte[] sealed = cipher("aescbc", "k", KEY_16).seal("", "secrets", "ns", "foo", JSON);

    assertThatThrownBy(() -> cipher("aescbc", "k", KEY_32).open("", "secrets", "ns", "foo", sealed))
        .hasMessageNotContaining(KEY_32)
        .hasMessageNotContaining(KEY_16)
        .hasMessageNotContaining("0123456789abcdef");
  }
}

package dev.backuprestore.operator;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.crypto.DecryptionException;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.testing.ArchiveFiles;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encrypted backups (docs/rancher-compat.md#encryption): the configuration comes from a Secret in
 * the operator namespace; matched resources are stored as a JSON string of base64 {@code
 * k8s:enc:<provider>:v1:<key>:...}, decryptable with the same configuration; everything else stays
 * plain JSON; the file name ends in {@code .tar.gz.enc}.
 */
class EncryptedBackupIT {
  private static final String OPERATOR_NAMESPACE = "backup-enc-system";
  private static final String DATA_NAMESPACE = "backup-enc-data";
  private static final String RESOURCE_SET = "backup-enc-set";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path localDirectory;
  private static OperatorHarness operator;
  private static BackupFixtures fixtures;
  private static String clusterId;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = Files.createTempDirectory("backup-enc-local");
    operator =
        OperatorHarness.start(OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, false));
    fixtures = new BackupFixtures(operator.client(), "backup-enc");
    clusterId = fixtures.clusterId();
    fixtures.namespace(DATA_NAMESPACE);
    fixtures.secret(DATA_NAMESPACE, "db-password", Map.of("password", "correct horse battery"));
    fixtures.secret(DATA_NAMESPACE, "api-token", Map.of("token", "t0k3n", "scope", "<all>"));
    fixtures.configMap(DATA_NAMESPACE, "settings", Map.of("mode", "fast"));
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(selector("v1", List.of("secrets", "configmaps"), List.of(DATA_NAMESPACE))),
        List.of());
  }

  @AfterAll
  static void stop() {
    fixtures.cleanUp();
    operator.close();
    TestFiles.deleteRecursively(localDirectory);
  }

  @ParameterizedTest
  @ValueSource(strings = {"aescbc", "aesgcm", "secretbox"})
  void secretsAreEncryptedPerObjectAndOtherResourcesStayPlain(String provider) throws Exception {
    String yaml = configFor("secrets", provider);
    String secretName = "enc-config-" + provider;
    fixtures.secret(OPERATOR_NAMESPACE, secretName, Map.of(EncryptionConfig.SECRET_DATA_KEY, yaml));
    String backupName = "enc-" + provider;
    fixtures.createBackup(
        backupName, RESOURCE_SET, spec -> spec.setEncryptionConfigSecretName(secretName));

    Backup done = fixtures.awaitCompleted(backupName);
    String fileName = done.getStatus().getFilename();
    assertThat(fileName)
        .matches(
            backupName
                + "-"
                + clusterId
                + "-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z\\.tar\\.gz\\.enc");
    assertThat(BackupFixtures.files(localDirectory)).contains(fileName);
    ArchiveFiles archive = ArchiveFiles.read(localDirectory.resolve(fileName));
    assertThat(archive.files().keySet())
        .containsExactlyInAnyOrder(
            "configmaps.#v1/backup-enc-data/settings.json",
            "secrets.#v1/backup-enc-data/api-token.json",
            "secrets.#v1/backup-enc-data/db-password.json",
            "filters/filters.json");

    ObjectCipher cipher =
        ObjectCipher.of(EncryptionConfig.parse(yaml.getBytes(StandardCharsets.UTF_8)));
    for (String name : List.of("db-password", "api-token")) {
      byte[] content = archive.files().get("secrets.#v1/backup-enc-data/" + name + ".json");
      assertEncryptedWith(provider, content);
      byte[] plain = cipher.open("", "secrets", DATA_NAMESPACE, name, content);
      JsonNode secret = JSON.readTree(plain);
      assertThat(secret.path("metadata").path("name").asText()).isEqualTo(name);
      assertThat(secret.path("metadata").has("uid")).isFalse();
      Map<String, String> live =
          operator.client().secrets().inNamespace(DATA_NAMESPACE).withName(name).get().getData();
      assertThat(JSON.convertValue(secret.path("data"), Map.class)).isEqualTo(live);
      if (provider.equals("aesgcm")) {
        // AES-GCM authenticates "<namespace>#<name>": the same bytes do not open as another object.
        assertThatThrownBy(() -> cipher.open("", "secrets", DATA_NAMESPACE, "other", content))
            .isInstanceOf(DecryptionException.class);
      }
    }
    byte[] settings = archive.files().get("configmaps.#v1/backup-enc-data/settings.json");
    assertThat(settings[0]).isEqualTo((byte) '{');
    assertThat(JSON.readTree(settings).path("data").path("mode").asText()).isEqualTo("fast");
    assertThat(archive.files().get("filters/filters.json")[0]).isEqualTo((byte) '{');
  }

  @Test
  void aConfigThatMatchesNothingStillNamesTheFileEnc() throws Exception {
    String yaml = configFor("serviceaccounts", "secretbox");
    fixtures.secret(
        OPERATOR_NAMESPACE, "enc-config-unmatched", Map.of(EncryptionConfig.SECRET_DATA_KEY, yaml));
    fixtures.createBackup(
        "enc-unmatched",
        RESOURCE_SET,
        spec -> spec.setEncryptionConfigSecretName("enc-config-unmatched"));

    Backup done = fixtures.awaitCompleted("enc-unmatched");
    assertThat(done.getStatus().getFilename()).endsWith(".tar.gz.enc");
    ArchiveFiles archive =
        ArchiveFiles.read(localDirectory.resolve(done.getStatus().getFilename()));
    assertThat(archive.files()).hasSize(4);
    archive
        .files()
        .forEach(
            (path, content) ->
                assertThat(content[0]).as("first byte of %s", path).isEqualTo((byte) '{'));
  }

  /**
   * The file holds one JSON string: standard padded base64 of the prefixed ciphertext
   * (docs/rancher-compat.md#encryption-format).
   */
  private static void assertEncryptedWith(String provider, byte[] content) throws Exception {
    JsonNode node = JSON.readTree(content);
    assertThat(node.isTextual()).isTrue();
    assertThat(new String(content, StandardCharsets.US_ASCII)).matches("\"[A-Za-z0-9+/]+={0,2}\"");
    byte[] stored = Base64.getDecoder().decode(node.textValue());
    String prefix = "k8s:enc:" + provider + ":v1:key1:";
    assertThat(new String(stored, 0, prefix.length(), StandardCharsets.ISO_8859_1))
        .isEqualTo(prefix);
  }

  private static String configFor(String resource, String provider) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources:
              - %s
            providers:
              - %s:
                  keys:
                    - name: key1
                      secret: %s
        """
        .formatted(resource, provider, Base64.getEncoder().encodeToString(key));
  }
}

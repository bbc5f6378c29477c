package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.EncryptionConfigException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example is ready to apply: our API types read it strictly, what it refers to (ResourceSets,
 * credential and encryption Secrets) exists, and together the examples cover the scenarios.
 */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("examples");
  private static final String OPERATOR_NAMESPACE = "cattle-resources-system";

  /** ResourceSets the chart creates with its default values. */
  private static final Set<String> CHART_RESOURCE_SETS = Set.of("backup-restore-generic");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(8);
      return yaml.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsReadyToApply(Path example) throws IOException, CertificateException {
    RenderedManifests objects = RenderedManifests.parse(example);

    assertThat(objects.all()).isNotEmpty();
    assertThat(objects.all())
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfAny(Backup.class, Restore.class, ResourceSet.class, Secret.class));
    for (Secret secret : objects.all(Secret.class)) {
      assertThat(secret.getMetadata().getNamespace()).isEqualTo(OPERATOR_NAMESPACE);
    }
    for (Backup backup : objects.all(Backup.class)) {
      assertThat(backup.getSpec().getResourceSetName())
          .isIn(union(CHART_RESOURCE_SETS, names(objects.all(ResourceSet.class))));
      checkStorage(objects, backup.getSpec().getStorageLocation());
      checkEncryption(objects, backup.getSpec().getEncryptionConfigSecretName());
    }
    for (Restore restore : objects.all(Restore.class)) {
      String file = restore.getSpec().getBackupFilename();
      // <backup name>-<kube-system UID>-<RFC 3339 time with '-' for ':'>.tar.gz[.enc]
      assertThat(file)
          .matches(
              "[a-z0-9-]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-"
                  + "\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.tar\\.gz(\\.enc)?");
      assertThat(file.endsWith(".enc"))
          .isEqualTo(restore.getSpec().getEncryptionConfigSecretName() != null);
      checkStorage(objects, restore.getSpec().getStorageLocation());
      checkEncryption(objects, restore.getSpec().getEncryptionConfigSecretName());
    }
  }

  private static void checkStorage(RenderedManifests objects, StorageLocation location)
      throws CertificateException {
    if (location == null) {
      return;
    }
    S3ObjectStore s3 = location.getS3();
    assertThat(s3).as("storageLocation needs s3").isNotNull();
    assertThat(s3.getBucketName()).isNotBlank();
    assertThat(s3.getEndpoint()).doesNotContain("://");
    if (s3.getCredentialSecretName() != null) {
      Secret credentials = objects.one(Secret.class, s3.getCredentialSecretName());
      assertThat(credentials.getMetadata().getNamespace())
          .isEqualTo(s3.getCredentialSecretNamespace());
      assertThat(credentials.getStringData()).containsKeys("accessKey", "secretKey");
    }
    if (s3.getEndpointCA() != null) {
      byte[] pem = Base64.getDecoder().decode(s3.getEndpointCA());
      assertThat(
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(pem)))
          .isNotNull();
    }
  }

  private static final String KEY_COMMAND = "head -c 32 /dev/urandom | base64";
  private static final String KEY_PLACEHOLDER = "<REPLACE WITH: [^>\\n]+>";

  private static void checkEncryption(RenderedManifests objects, String secretName)
      throws CertificateException {
    if (secretName == null) {
      return;
    }
    Secret secret = objects.one(Secret.class, secretName);
    String config = secret.getStringData().get("encryption-provider-config.yaml");
    assertThat(config).as("the key the operator reads").isNotNull();
    try {
      JsonNode parsed = YAML.readTree(config);
      assertThat(parsed.path("kind").asText()).isEqualTo("EncryptionConfiguration");
      assertThat(parsed.path("apiVersion").asText()).isEqualTo("apiserver.config.k8s.io/v1");
    } catch (IOException e) {
      throw new AssertionError("encryption-provider-config.yaml is not YAML", e);
    }
    // No published key: a copy-pasted example is refused by the operator's loader, with the
    // command that makes a key...
    assertThat(config).containsPattern(KEY_PLACEHOLDER);
    assertThatThrownBy(() -> EncryptionConfig.parse(config.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EncryptionConfigException.class)
        .hasMessageContaining("is not a key")
        .hasMessageContaining(KEY_COMMAND);
    // ...and the key that command makes is accepted in its place.
    String key = generatedKey();
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    String real = config.replaceAll(KEY_PLACEHOLDER, key);
    assertThatCode(() -> EncryptionConfig.parse(real.getBytes(StandardCharsets.UTF_8)))
        .doesNotThrowAnyException();
  }

  /** Runs the examples' one-line key command. */
  private static String generatedKey() {
    try {
      Process process = new ProcessBuilder("sh", "-c", KEY_COMMAND).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(process.waitFor()).isZero();
      return out.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void examplesCoverEveryScenario() throws IOException {
    List<Backup> backups = new ArrayList<>();
    List<Restore> restores = new ArrayList<>();
    for (Path example : examples().toList()) {
      RenderedManifests objects = RenderedManifests.parse(example);
      backups.addAll(objects.all(Backup.class));
      restores.addAll(objects.all(Restore.class));
    }

    assertThat(backups)
        .as("local default location, one-time")
        .anySatisfy(
            b -> {
              assertThat(b.getSpec().getStorageLocation()).isNull();
              assertThat(b.getSpec().getSchedule()).isNull();
            });
    assertThat(backups)
        .as("S3 with credentials")
        .anySatisfy(b -> assertThat(s3(b).getCredentialSecretName()).isNotNull());
    assertThat(backups)
        .as("S3 with IAM")
        .anySatisfy(
            b -> {
              assertThat(b.getSpec().getStorageLocation()).isNotNull();
              assertThat(s3(b).getBucketName()).isNotBlank();
              assertThat(s3(b).getCredentialSecretName()).isNull();
            });
    assertThat(backups)
        .as("custom CA")
        .anySatisfy(b -> assertThat(s3(b).getEndpointCA()).isNotBlank());
    assertThat(backups)
        .as("encrypted")
        .anySatisfy(b -> assertThat(b.getSpec().getEncryptionConfigSecretName()).isNotBlank());
    assertThat(backups)
        .as("recurring with retention")
        .anySatisfy(
            b -> {
              assertThat(b.getSpec().getSchedule()).isNotBlank();
              assertThat(b.getSpec().getRetentionCount()).isPositive();
            });
    assertThat(restores)
        .as("in place with prune")
        .anySatisfy(r -> assertThat(r.getSpec().getPrune()).isTrue());
    assertThat(restores)
        .as("migration: from S3, without prune")
        .anySatisfy(
            r -> {
              assertThat(r.getSpec().getPrune()).isFalse();
              assertThat(r.getSpec().getStorageLocation().getS3()).isNotNull();
            });
  }

  @Test
  void readmeListsEveryExample() throws IOException {
    String readme = Files.readString(EXAMPLES.resolve("README.md"));

    assertThat(examples().map(f -> "`" + f.getFileName() + "`"))
        .allSatisfy(name -> assertThat(readme).contains(name));
  }

  private static S3ObjectStore s3(Backup backup) {
    StorageLocation location = backup.getSpec().getStorageLocation();
    return location == null ? new S3ObjectStore() : location.getS3();
  }

  private static Set<String> names(List<? extends HasMetadata> objects) {
    return Set.copyOf(objects.stream().map(o -> o.getMetadata().getName()).toList());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    return Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
  }
}

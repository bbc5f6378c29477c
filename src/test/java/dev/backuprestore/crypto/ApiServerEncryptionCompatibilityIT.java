package dev.backuprestore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our transformers against a real kube-apiserver started with {@code --encryption-provider-config}:
 * we decrypt what the apiserver stored in etcd, and the apiserver reads what we encrypted and wrote
 * to etcd. The apiserver's authenticated data (used by aesgcm) is the etcd key.
 */
class ApiServerEncryptionCompatibilityIT {
  private static final String NAMESPACE = "crypto-it";
  private static final String WRONG_32 = "d3Jvbmcga2V5IHdyb25nIGtleSB3cm9uZyBrZXkhISE=";

  private static String config(String provider, String... namedSecrets) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < namedSecrets.length; i += 2) {
      keys.append("            - name: ").append(namedSecrets[i]).append('\n');
      keys.append("              secret: ").append(namedSecrets[i + 1]).append('\n');
    }
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - %s:
                  keys:
        %s"""
        .formatted(provider, keys);
  }

  private static byte[] etcdKey(String name) {
    return key(name).getBytes(StandardCharsets.UTF_8);
  }

  private static String key(String name) {
    return "/registry/secrets/" + NAMESPACE + "/" + name;
  }

  private static String password(Secret secret) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "aescbc, c2VjcmV0IGlzIHNlY3VyZQ==, MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3",
    "aesgcm, MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=, c2VjcmV0IGlzIHNlY3VyZQ==",
    "secretbox, YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=, "
        + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  })
  void apiServerAndOurTransformersReadEachOther(
      String provider, String firstKey, String secondKey, @TempDir Path dir) throws Exception {
    String apiServerConfig = config(provider, "first", firstKey, "second", secondKey);
    Path file = dir.resolve("encryption-provider-config.yaml");
    Files.writeString(file, apiServerConfig);
    Transformer ours =
        EncryptionConfig.parse(apiServerConfig.getBytes(StandardCharsets.UTF_8))
            .transformerFor("", "secrets");
    // The same keys, "second" first: what we write is not simply what the apiserver would write.
    Transformer oursWithSecondKey =
        EncryptionConfig.parse(
                config(provider, "second", secondKey, "first", firstKey)
                    .getBytes(StandardCharsets.UTF_8))
            .transformerFor("", "secrets");

    try (LocalControlPlane plane =
        LocalControlPlane.start(List.of("--encryption-provider-config=" + file))) {
      KubernetesClient client = plane.client();
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();

      // 1. The apiserver encrypts; we decrypt the raw etcd value.
      createSecret(client, "from-api", "api-" + provider);
      byte[] stored = plane.etcdGet(key("from-api"));
      String storedText = new String(stored, StandardCharsets.ISO_8859_1);
      assertThat(storedText).startsWith("k8s:enc:" + provider + ":v1:first:");
      assertThat(storedText).doesNotContain("api-" + provider);

      byte[] protobuf = ours.decrypt(stored, etcdKey("from-api"));

      assertThat(new String(protobuf, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("k8s\0");
      assertThat(new String(protobuf, StandardCharsets.ISO_8859_1)).contains("api-" + provider);
      if (provider.equals("aesgcm")) {
        assertThatThrownBy(() -> ours.decrypt(stored, etcdKey("other")))
            .as("aesgcm authenticates the etcd key")
            .isInstanceOf(GeneralSecurityException.class);
      }

      // 2. We encrypt the apiserver's own protobuf bytes; the apiserver reads them back. The
      // Secret is changed first through the API, so only our write can bring the old value back.
      client
          .secrets()
          .inNamespace(NAMESPACE)
          .withName("from-api")
          .edit(s -> new SecretBuilder(s).withData(Map.of("password", b64("changed"))).build());
      plane.etcdPut(key("from-api"), oursWithSecondKey.encrypt(protobuf, etcdKey("from-api")));

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          password(
                              client.secrets().inNamespace(NAMESPACE).withName("from-api").get()))
                      .isEqualTo("api-" + provider));
      assertThat(new String(plane.etcdGet(key("from-api")), StandardCharsets.ISO_8859_1))
          .startsWith("k8s:enc:" + provider + ":v1:second:");

      // 3. We encrypt a Secret's JSON for a key the apiserver has never written.
      byte[] json =
          ("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"from-java\","
                  + "\"namespace\":\""
                  + NAMESPACE
                  + "\",\"uid\":\""
                  + UUID.randomUUID()
                  + "\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"},"
                  + "\"type\":\"Opaque\",\"data\":{\"password\":\""
                  + b64("java-" + provider)
                  + "\"}}")
              .getBytes(StandardCharsets.UTF_8);
      plane.etcdPut(key("from-java"), oursWithSecondKey.encrypt(json, etcdKey("from-java")));

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(client.secrets().inNamespace(NAMESPACE).withName("from-java").get())
                      .isNotNull()
                      .extracting(ApiServerEncryptionCompatibilityIT::password)
                      .isEqualTo("java-" + provider));

      // 4. A value encrypted with a key the apiserver does not have is refused, so the reads
      // above really went through decryption.
      Transformer wrongKey =
          EncryptionConfig.parse(
                  config(provider, "first", WRONG_32).getBytes(StandardCharsets.UTF_8))
              .transformerFor("", "secrets");
      plane.etcdPut(key("wrong-key"), wrongKey.encrypt(json, etcdKey("wrong-key")));

      // fabric8 retries server errors with backoff by default; one attempt is enough here.
      try (KubernetesClient noRetry =
          new KubernetesClientBuilder()
              .withConfig(
                  new ConfigBuilder(plane.adminConfig()).withRequestRetryBackoffLimit(0).build())
              .build()) {
        assertThatThrownBy(
                () -> noRetry.secrets().inNamespace(NAMESPACE).withName("wrong-key").get())
            .isInstanceOf(KubernetesClientException.class)
            .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(500));
      }
    }
  }

  private static void createSecret(KubernetesClient client, String name, String password) {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToData("password", b64(password))
                .build())
        .create();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}

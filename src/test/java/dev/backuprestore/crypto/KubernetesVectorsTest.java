package dev.backuprestore.crypto;

import static dev.backuprestore.crypto.RancherConfigs.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Archive entries produced by the Kubernetes code that Rancher Backups embeds: a small Go program
 * calling {@code encryptionconfig.LoadEncryptionConfig} from k8s.io/apiserver v0.34.4, then {@code
 * StaticTransformers.TransformerForResource(gr).TransformToStorage(ctx, json,
 * value.DefaultContext(aad))} and {@code json.Marshal} of the result, which is what Rancher writes
 * into the archive. Nonces were random; they are part of each value.
 */
class KubernetesVectorsTest {
  private static final String SECRET_JSON =
      "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"foo\","
          + "\"namespace\":\"cattle-system\"},\"data\":{\"k\":\"dg==\"}}";
  private static final String NAMESPACE_JSON =
      "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"}}";
  private static final String DEPLOYMENT_JSON =
      "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
          + "\"namespace\":\"default\"}}";

  /** Rancher's example config (aesgcm key1), secrets, AAD "cattle-system#foo". */
  private static final String AESGCM_EXAMPLE_SECRET =
      "\"azhzOmVuYzphZXNnY206djE6a2V5MTpYHeXwL2wRRscR8+Jf9mZtSdzE+tnqxr+imUA6MErfIlsQ5EMP4KoXxtoU"
          + "Q0epEfYD5XJMwwZcng6HdRgCXWIj9bJaTfVcxkaqHkJFWPvg6yC4AnEW9Xm6v2+znYl/E2vsP3WvGciaTLyV"
          + "d+74vkEQsjatDTgLuXKKmA0d7JGpPPSd4Jfpan4qLg==\"";

  /** aescbc, key "cbckey" = base64 of "0123456789abcdef0123456789abcdef", secrets. */
  private static final String AESCBC_SECRET =
      "\"azhzOmVuYzphZXNjYmM6djE6Y2Jja2V5OvJ0VZWmbT1LqZS6xWvQwQDHf4ku8MgR5bFaGFVBUsWvpq9gY6adBXeV"
          + "Dbz3d1jonpKjvJS4hZ/JFhs6/tRVTUvhBmaMeiMOwSLMIghvEixKGBE5McNUM00F1DJ0f4f5z2/wz+93coXe"
          + "kH5gyTACNMyGS012LsGL3AFINxeplB4B\"";

  /** Rancher's wildcard test config (secretbox key1), a Namespace (cluster-scoped). */
  private static final String SECRETBOX_WILDCARD_NAMESPACE =
      "\"azhzOmVuYzpzZWNyZXRib3g6djE6a2V5MTq1QRMItstyikLkgBRgIN/z2kF1Y87e2C7Yo+aV1me8ycu11r/Hl0QR"
          + "GDXMh+H4jCBDUL+ctzo3N2maWMcE2XZqOOeZsH4Yk7fK9ZnII1HAY4XJI336d+l6tdQpMnMub4CpikWoEbRM"
          + "f4Enuw==\"";

  /** aesgcm for "*.apps", key "gcmkey" as above (32 bytes), AAD "default#web". */
  private static final String AESGCM_APPS_DEPLOYMENT =
      "\"azhzOmVuYzphZXNnY206djE6Z2Nta2V5OpeE6rj+EVSW6WjMlSREZULSAoZlUKdfArWKxkDirbObQUVDnuVOTZ2y"
          + "Be/7ioNox1aP/998pqQppQtP28Yx7nnuPBMIVSpKRiznfgQQolQkNQp5OMvGrBFuYgJYCw/HwGP8OmWvr6+D"
          + "Brh+nc31A3cYg4LQ2YVbyA==\"";

  private static final String KEY_32_BASE64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  private static ObjectCipher cipher(String yaml) {
    return ObjectCipher.of(EncryptionConfig.parse(bytes(yaml)));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aesgcmFromRancherExampleConfig() {
    byte[] json =
        cipher(RancherConfigs.EXAMPLE)
            .open("", "secrets", "cattle-system", "foo", utf8(AESGCM_EXAMPLE_SECRET));

    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(SECRET_JSON);
  }

  @Test
  void aescbc() {
    String config = RancherConfigs.single("secrets", "aescbc", "cbckey", KEY_32_BASE64);

    byte[] json = cipher(config).open("", "secrets", "cattle-system", "foo", utf8(AESCBC_SECRET));

    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(SECRET_JSON);
  }

  @Test
  void secretboxWildcardClusterScoped() {
    byte[] json =
        cipher(RancherConfigs.WILDCARD)
            .open("", "namespaces", null, "team-a", utf8(SECRETBOX_WILDCARD_NAMESPACE));

    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(NAMESPACE_JSON);
  }

  @Test
  void aesgcmGroupWildcardUsesNamespaceHashNameAsAad() {
    String config = RancherConfigs.single("\"*.apps\"", "aesgcm", "gcmkey", KEY_32_BASE64);
    ObjectCipher cipher = cipher(config);

    byte[] json =
        cipher.open("apps", "deployments", "default", "web", utf8(AESGCM_APPS_DEPLOYMENT));

    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(DEPLOYMENT_JSON);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cipher.open("apps", "deployments", "other", "web", utf8(AESGCM_APPS_DEPLOYMENT)))
        .isInstanceOf(DecryptionException.class);
  }
}

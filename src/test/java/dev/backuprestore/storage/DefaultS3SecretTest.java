package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultS3SecretTest {

  private static Map<String, String> chartSecret() {
    Map<String, String> data = new HashMap<>();
    data.put("endpoint", "minio.example.com:9000");
    data.put("endpointCA", "LS0tLS1CRUdJTg==");
    data.put("insecureTLSSkipVerify", "true");
    data.put("credentialSecretName", "s3-creds");
    data.put("credentialSecretNamespace", "cattle-resources-system");
    data.put("bucketName", "rancher-backups");
    data.put("region", "eu-west-1");
    data.put("folder", "cluster-a/");
    return data;
  }

  @Test
  void readsEveryKeyOfTheChartSecret() {
    DefaultS3Secret secret = DefaultS3Secret.parse(chartSecret());

    assertThat(secret)
        .isEqualTo(
            new DefaultS3Secret(
                "minio.example.com:9000",
                "LS0tLS1CRUdJTg==",
                true,
                "s3-creds",
                "cattle-resources-system",
                "rancher-backups",
                "eu-west-1",
                "cluster-a/",
                null,
                true));
  }

  @Test
  void missingKeysAreEmptyAndDefaults() {
    DefaultS3Secret secret = DefaultS3Secret.parse(Map.of("bucketName", "b"));
    assertThat(secret.endpoint()).isEmpty();
    assertThat(secret.insecureTLSSkipVerify()).isFalse();
    assertThat(secret.bucketLookup()).isNull();
    assertThat(secret.dualStack()).isTrue();
  }

  @Test
  void onlyTheStringTrueTurnsOnInsecureSkipVerify() {
    Map<String, String> data = chartSecret();
    data.put("insecureTLSSkipVerify", "yes");
    assertThat(DefaultS3Secret.parse(data).insecureTLSSkipVerify()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // what the chart writes (toJson | quote): the value is the JSON object text
        "{\"bucketLookup\":\"PATH\",\"aws\":{\"dualStack\":false}}",
        // double-encoded: a JSON string holding the object text
        "\"{\\\"bucketLookup\\\":\\\"path\\\",\\\"aws\\\":{\\\"dualStack\\\":false}}\"",
        // a string "false" as dualStack
        "{\"bucketLookup\":\"path\",\"aws\":{\"dualStack\":\"false\"}}",
      })
  void clientConfigIsAnObjectOrAJsonString(String clientConfig) {
    Map<String, String> data = chartSecret();
    data.put("clientConfig", clientConfig);
    DefaultS3Secret secret = DefaultS3Secret.parse(data);
    assertThat(secret.bucketLookup()).isEqualTo(BucketLookup.PATH);
    assertThat(secret.dualStack()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "{}", "null", "\"\"", "{\"aws\":{}}", "{\"aws\":{\"dualStack\":true}}"})
  void emptyClientConfigKeepsDefaults(String clientConfig) {
    Map<String, String> data = chartSecret();
    data.put("clientConfig", clientConfig);
    DefaultS3Secret secret = DefaultS3Secret.parse(data);
    assertThat(secret.bucketLookup()).isNull();
    assertThat(secret.dualStack()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", "[1,2]", "{\"bucketLookup\":\"sideways\"}"})
  void invalidClientConfigIsPermanent(String clientConfig) {
    Map<String, String> data = chartSecret();
    data.put("clientConfig", clientConfig);
    assertThatThrownBy(() -> DefaultS3Secret.parse(data))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
        .hasMessageContaining("clientConfig");
  }

  @Test
  void becomesAnS3Location() {
    S3Credentials credentials = new S3Credentials("access", "secret");
    S3Location location = DefaultS3Secret.parse(chartSecret()).toLocation(credentials, false);

    assertThat(location.endpoint()).isEqualTo("minio.example.com:9000");
    assertThat(location.bucketName()).isEqualTo("rancher-backups");
    assertThat(location.folder()).isEqualTo("cluster-a/");
    assertThat(location.region()).isEqualTo("eu-west-1");
    assertThat(location.endpointCA()).isEqualTo("LS0tLS1CRUdJTg==");
    assertThat(location.insecureTLSSkipVerify()).isTrue();
    assertThat(location.credentials()).isSameAs(credentials);
    assertThat(location.useHttps()).isFalse();
    assertThat(location.dualStack()).isTrue();
  }

  @Test
  void aLocationNeedsABucket() {
    assertThatThrownBy(() -> DefaultS3Secret.parse(Map.of()).toLocation(null, true))
        .hasMessage("s3 bucketName is required");
  }
}

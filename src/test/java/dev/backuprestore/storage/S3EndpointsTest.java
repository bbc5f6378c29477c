package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class S3EndpointsTest {

  private static S3Location.Builder at(String endpoint) {
    return S3Location.builder("b").endpoint(endpoint);
  }

  @Test
  void noEndpointMeansAwsWithCrossRegionLookup() {
    S3Endpoints.Resolved resolved = S3Endpoints.resolve(at("").build());
    assertThat(resolved.endpointOverride()).isNull();
    assertThat(resolved.region()).isEqualTo("us-east-1");
    assertThat(resolved.crossRegionAccess()).isTrue();
    assertThat(resolved.pathStyle()).isFalse();
    assertThat(resolved.dualStack()).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "s3.us-west-2.amazonaws.com, us-west-2",
    "s3-eu-west-1.amazonaws.com, eu-west-1",
    "s3.dualstack.ap-south-1.amazonaws.com, ap-south-1",
    "s3.cn-north-1.amazonaws.com.cn, cn-north-1",
    "s3-external-1.amazonaws.com, us-east-1",
  })
  void standardAwsHostsGiveTheRegionAndNoOverride(String endpoint, String region) {
    S3Endpoints.Resolved resolved = S3Endpoints.resolve(at(endpoint).build());
    assertThat(resolved.endpointOverride()).isNull();
    assertThat(resolved.region()).isEqualTo(region);
    assertThat(resolved.crossRegionAccess()).isFalse();
  }

  @Test
  void anExplicitRegionWins() {
    S3Endpoints.Resolved resolved =
        S3Endpoints.resolve(at("s3.amazonaws.com").region("eu-central-1").build());
    assertThat(resolved.region()).isEqualTo("eu-central-1");
    assertThat(resolved.crossRegionAccess()).isFalse();
  }

  @Test
  void dualStackCanBeTurnedOffOnAws() {
    assertThat(S3Endpoints.resolve(at("").dualStack(false).build()).dualStack()).isFalse();
  }

  @Test
  void s3CompatibleServersAreOverriddenPathStyleWithoutDualStack() {
    S3Endpoints.Resolved resolved = S3Endpoints.resolve(at("minio.example.com:9000").build());
    assertThat(resolved.endpointOverride()).isEqualTo(URI.create("https://minio.example.com:9000"));
    assertThat(resolved.pathStyle()).isTrue();
    assertThat(resolved.dualStack()).isFalse();
    assertThat(resolved.region()).isEqualTo("us-east-1");
    assertThat(resolved.listV1()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.5", "10.0.0.5:9000", "[::1]:9000", "minio"})
  void autoUsesPathStyleForIpsAndOtherHosts(String endpoint) {
    assertThat(S3Endpoints.resolve(at(endpoint).build()).pathStyle()).isTrue();
  }

  @Test
  void devModeUsesPlainHttp() {
    assertThat(S3Endpoints.resolve(at("127.0.0.1:9000").useHttps(false).build()).endpointOverride())
        .isEqualTo(URI.create("http://127.0.0.1:9000"));
  }

  @Test
  void aliyunDefaultsToDnsLookup() {
    S3Endpoints.Resolved resolved = S3Endpoints.resolve(at("oss-cn-hangzhou.aliyuncs.com").build());
    assertThat(resolved.pathStyle()).isFalse();
    assertThat(S3Endpoints.effectiveLookup(null, "oss-cn-hangzhou.aliyuncs.com"))
        .isEqualTo(BucketLookup.DNS);
    assertThat(
            S3Endpoints.resolve(
                    at("oss-cn-hangzhou.aliyuncs.com").bucketLookup(BucketLookup.PATH).build())
                .pathStyle())
        .isTrue();
  }

  @Test
  void explicitLookupWins() {
    assertThat(
            S3Endpoints.resolve(at("minio:9000").bucketLookup(BucketLookup.DNS).build())
                .pathStyle())
        .isFalse();
    assertThat(S3Endpoints.resolve(at("").bucketLookup(BucketLookup.PATH).build()).pathStyle())
        .isTrue();
  }

  @Test
  void googleUsesVirtualHostsAndListV1() {
    S3Endpoints.Resolved resolved = S3Endpoints.resolve(at("storage.googleapis.com").build());
    assertThat(resolved.pathStyle()).isFalse();
    assertThat(resolved.listV1()).isTrue();
  }

  @Test
  void otherAwsHostsAreOverriddenWithVirtualHosts() {
    S3Endpoints.Resolved resolved =
        S3Endpoints.resolve(at("bucket.vpce-0a1b.s3.us-east-1.vpce.amazonaws.com").build());
    assertThat(resolved.endpointOverride()).isNotNull();
    assertThat(resolved.pathStyle()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://minio:9000", "http://minio", "minio:9000/path", "user@minio"})
  void rejectsSchemesAndPaths(String endpoint) {
    assertThatThrownBy(() -> S3Endpoints.resolve(at(endpoint).build()))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
        .hasMessageContaining("s3 endpoint [" + endpoint + "]");
  }

  @ParameterizedTest
  @CsvSource({"auto, AUTO", "DNS, DNS", " Path , PATH"})
  void bucketLookupIsCaseInsensitive(String value, BucketLookup expected) {
    assertThat(BucketLookup.parse(value)).isEqualTo(expected);
  }

  @Test
  void unknownBucketLookupIsRejected() {
    assertThat(BucketLookup.parse("")).isNull();
    assertThatThrownBy(() -> BucketLookup.parse("virtual"))
        .hasMessage("invalid clientConfig.bucketLookup [virtual]: expected auto, dns or path");
  }
}

package dev.backuprestore.storage;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds the SDK client for an {@link S3Location}: endpoint and addressing ({@link S3Endpoints}),
 * TLS trust ({@link EndpointCa}), credentials, proxy from the standard environment variables, and
 * Rancher's 4 attempts per request.
 */
final class S3ClientFactory {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  /** Rancher retries 3 times after the first attempt. */
  private static final int MAX_ATTEMPTS = 4;

  private static final String USER_AGENT_SUFFIX = "backup-restore-operator";

  private S3ClientFactory() {}

  static S3Client create(S3Location location) {
    S3Endpoints.Resolved endpoint = S3Endpoints.resolve(location);
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(httpClient(location))
            .credentialsProvider(credentials(location.credentials()))
            .region(Region.of(endpoint.region()))
            .forcePathStyle(endpoint.pathStyle())
            .dualstackEnabled(endpoint.dualStack())
            .crossRegionAccessEnabled(endpoint.crossRegionAccess())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS))
                        .putAdvancedOption(
                            SdkAdvancedClientOption.USER_AGENT_SUFFIX, USER_AGENT_SUFFIX));
    if (endpoint.endpointOverride() != null) {
      builder.endpointOverride(endpoint.endpointOverride());
    }
    if (location.checksumsWhenRequired()) {
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder.build();
  }

  private static SdkHttpClient httpClient(S3Location location) {
    UrlConnectionHttpClient.Builder builder =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT)
            // HTTP_PROXY / HTTPS_PROXY / NO_PROXY as set by the chart, or -Dhttps.proxyHost
            .proxyConfiguration(
                proxy -> proxy.useEnvironmentVariablesValues(true).useSystemPropertyValues(true));
    if (!location.endpointCA().isEmpty()) {
      // parsed even when verification is off: Rancher rejects an invalid CA in both cases
      List<X509Certificate> certificates = EndpointCa.parse(location.endpointCA());
      TrustManager[] trustManagers = EndpointCa.trustManagers(certificates);
      builder.tlsTrustManagersProvider(() -> trustManagers);
    }
    if (location.insecureTLSSkipVerify()) {
      // also turns off host name verification, like Go's InsecureSkipVerify
      return builder.buildWithDefaults(
          AttributeMap.builder()
              .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true)
              .build());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Credentials credentials) {
    if (credentials == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(credentials.accessKey(), credentials.secretKey()));
  }
}

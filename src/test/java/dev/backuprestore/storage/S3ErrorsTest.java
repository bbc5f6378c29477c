package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorsTest {
  private static final S3Location LOCATION =
      S3Location.builder("backups")
          .endpoint("minio:9000")
          .folder("f")
          .credentials(new S3Credentials("AKIAIOSFODNN7EXAMPLE", "topsecret"))
          .build();

  private static S3Exception serviceError(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage("details of " + code)
                    .build())
            .build();
  }

  @ParameterizedTest(name = "HTTP {0} {1} -> permanent {2}")
  @CsvSource({
    "400, AuthorizationHeaderMalformed, true",
    "403, AccessDenied, true",
    "404, NoSuchBucket, true",
    "408, RequestTimeout, false",
    "429, SlowDown, false",
    "500, InternalError, false",
    "503, ServiceUnavailable, false",
  })
  void serviceErrorsArePermanentOnlyForClientErrors(int status, String code, boolean permanent) {
    StorageException e = S3Errors.map("failed to list", serviceError(status, code), LOCATION);
    assertThat(e.isPermanent()).isEqualTo(permanent);
    assertThat(e.getMessage())
        .startsWith("failed to list")
        .contains("s3 bucket [backups] folder [f] at minio:9000")
        .contains(code)
        .doesNotContain("topsecret");
  }

  @Test
  void accessDeniedNamesTheRedactedKey() {
    StorageException e = S3Errors.map("failed", serviceError(403, "AccessDenied"), LOCATION);
    assertThat(e.getMessage()).contains("access key [AKIAI[REDACTED]]").doesNotContain("OSFODNN7");
  }

  @Test
  void bucketCheck404IsRanchersMessage() {
    StorageException e = S3Errors.bucketCheckFailure(serviceError(404, null), LOCATION);
    assertThat(e.getMessage()).isEqualTo("s3 bucket [backups] not found");
    assertThat(e.isPermanent()).isTrue();
  }

  @Test
  void bucketCheck403IsAPermanentDenial() {
    StorageException e = S3Errors.bucketCheckFailure(serviceError(403, null), LOCATION);
    assertThat(e.getMessage())
        .isEqualTo(
            "access denied to s3 bucket [backups] at minio:9000 with access key [AKIAI[REDACTED]]:"
                + " check the credentials and that they allow s3:ListBucket");
    assertThat(e.isPermanent()).isTrue();
  }

  @Test
  void bucketCheckServerErrorIsTransient() {
    StorageException e = S3Errors.bucketCheckFailure(serviceError(503, "SlowDown"), LOCATION);
    assertThat(e.getMessage()).startsWith("failed to check if s3 bucket [backups] exists");
    assertThat(e.isPermanent()).isFalse();
  }

  @Test
  void networkFailuresAreTransient() {
    SdkClientException failure =
        SdkClientException.create(
            "Unable to execute HTTP request", new ConnectException("refused"));
    StorageException e = S3Errors.map("failed to upload", failure, LOCATION);
    assertThat(e.isPermanent()).isFalse();
    assertThat(e.getMessage()).contains("cannot reach").contains("ConnectException: refused");
  }

  @Test
  void untrustedCertificatesArePermanent() {
    SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
    handshake.initCause(new CertificateException("unable to find valid certification path"));
    StorageException e =
        S3Errors.map("failed", SdkClientException.create("TLS", handshake), LOCATION);
    assertThat(e.isPermanent()).isTrue();
    assertThat(e.getMessage()).contains("TLS connection to").contains("endpointCA");
  }

  @Test
  void aConnectionResetDuringTlsIsTransient() {
    StorageException e =
        S3Errors.map(
            "failed",
            SdkClientException.create("TLS", new SSLException("Connection reset")),
            LOCATION);
    assertThat(e.isPermanent()).isFalse();
  }

  @Test
  void missingDefaultCredentialsSayWhatToSet() {
    S3Location iam = LOCATION.toBuilder().credentials(null).build();
    StorageException e =
        S3Errors.map(
            "failed",
            SdkClientException.create("Unable to load credentials from any of the providers"),
            iam);
    assertThat(e.getMessage()).contains("no S3 credentials found").contains("credentialSecretName");
  }
}

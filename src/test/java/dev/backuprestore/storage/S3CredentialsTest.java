package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3CredentialsTest {

  @Test
  void longKeysKeepTheirFirstFiveCharacters() {
    assertThat(S3Credentials.redactAccessKey("AKIAIOSFODNN7EXAMPLE")).isEqualTo("AKIAI[REDACTED]");
  }

  @Test
  void shortKeysAreHiddenCompletely() {
    assertThat(S3Credentials.redactAccessKey("minioadmin")).isEqualTo("[REDACTED]");
    assertThat(S3Credentials.redactAccessKey("0123456789012345678")).isEqualTo("[REDACTED]");
    assertThat(S3Credentials.redactAccessKey(null)).isEqualTo("[REDACTED]");
  }

  @Test
  void toStringShowsNoSecret() {
    S3Credentials credentials =
        new S3Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    assertThat(credentials.toString())
        .contains("AKIAI[REDACTED]")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE")
        .doesNotContain("wJalrXUtnFEMI");
    S3Location location = S3Location.builder("b").credentials(credentials).build();
    assertThat(location.toString()).doesNotContain("wJalrXUtnFEMI").doesNotContain("OSFODNN7");
  }

  @Test
  void bothKeysAreRequired() {
    assertThatThrownBy(() -> new S3Credentials("a", ""))
        .isInstanceOf(StorageException.class)
        .hasMessage("s3 credentials need both an accessKey and a secretKey");
  }
}

package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointCaTest {
  /** A self-signed test certificate (EC P-256, CN=endpoint-ca-test). */
  static final String CERT_PEM =
      """
      -----BEGIN CERTIFICATE-----
      MIIBUDCB9qADAgECAgkA5fdI81nME9kwCgYIKoZIzj0EAwIwGzEZMBcGA1UEAxMQ
      ZW5kcG9pbnQtY2EtdGVzdDAgFw0yNjExMjMxMzI2MzZaGA8yMTI2MTAzMDEzMjYz
      NlowGzEZMBcGA1UEAxMQZW5kcG9pbnQtY2EtdGVzdDBZMBMGByqGSM49AgEGCCqG
      SM49AwEHA0IABCg+af6RDriQNIdQTkg25aQjMCW4EcBd8R5lrAIfnXJxKFqjqBbz
      aER/SDXT+xjmY0Gie6eO5Plh9xdAu+wb0Y6jITAfMB0GA1UdDgQWBBTZFAB6NfNq
      vtouL6CIySg6zqHNjjAKBggqhkjOPQQDAgNJADBGAiEAo5Le76I8RwlMQTn/H8kR
      cxKf3Ws6hAMz2noIIQZpVjoCIQCo5yARptyd2JFVxUJJ/vetlRZBIYxZRDK2jo3v
      Zchg0g==
      -----END CERTIFICATE-----
      """;

  private static final String KEY_BLOCK =
      "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";

  @Test
  void readsBase64OfPem() {
    assertThat(EndpointCa.parse(base64(CERT_PEM)))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=endpoint-ca-test"));
  }

  @Test
  void readsBase64WithLineBreaksLikeGo() {
    String wrapped = base64(CERT_PEM).replaceAll("(.{76})", "$1\n");
    assertThat(EndpointCa.parse(wrapped)).hasSize(1);
  }

  @Test
  void readsAPemFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("ca.pem"), CERT_PEM);
    assertThat(EndpointCa.parse(file.toString())).hasSize(1);
  }

  @Test
  void readsRawPem() {
    assertThat(EndpointCa.parse(CERT_PEM)).hasSize(1);
  }

  @Test
  void trustsEveryCertificateBlockAfterTheFirst() {
    assertThat(EndpointCa.parse(base64(CERT_PEM + KEY_BLOCK + CERT_PEM))).hasSize(2);
  }

  @Test
  void theFirstBlockMustBeACertificate() {
    assertThatThrownBy(() -> EndpointCa.parse(base64(KEY_BLOCK + CERT_PEM)))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
        .hasMessage("s3 endpointCA is not a valid x509 certificate");
  }

  @Test
  void rejectsBase64ThatIsNotPem() {
    assertThatThrownBy(() -> EndpointCa.parse(base64("hello")))
        .hasMessage("s3 endpointCA is not a valid x509 certificate");
  }

  @Test
  void rejectsACorruptCertificate() {
    String corrupt =
        CERT_PEM
            .replace("MIIBUDCB9qADAgECAgkA", "MIIBUDCB9qADAgECAgkB")
            .replace("Zchg0g==", "Zchg");
    assertThatThrownBy(() -> EndpointCa.parse(base64(corrupt)))
        .hasMessage("s3 endpointCA is not a valid x509 certificate");
  }

  @Test
  void rejectsAMissingFile() {
    assertThatThrownBy(() -> EndpointCa.parse("/no/such/ca.pem"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("neither base64-encoded PEM nor a readable file path");
  }

  @Test
  void buildsTrustManagers() {
    assertThat(EndpointCa.trustManagers(EndpointCa.parse(CERT_PEM))).isNotEmpty();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}

package dev.backuprestore.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CR's {@code endpointCA}: base64 of PEM, or else a path to a PEM file (Rancher tries base64
 * first, then the file system). Raw PEM text is accepted too. The first PEM block must be an X.509
 * certificate; every CERTIFICATE block is trusted, and nothing else (as Go's {@code RootCAs}).
 */
final class EndpointCa {
  private static final Pattern PEM_BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
  private static final String BEGIN = "-----BEGIN ";

  private EndpointCa() {}

  /** The trusted certificates of an {@code endpointCA} value. */
  static List<X509Certificate> parse(String endpointCA) {
    String pem = pemText(endpointCA.trim());
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = PEM_BLOCK.matcher(pem);
    boolean first = true;
    while (block.find()) {
      boolean isCertificate = block.group(1).equals("CERTIFICATE");
      if (first && !isCertificate) {
        throw invalid(null);
      }
      first = false;
      if (isCertificate) {
        certificates.add(certificate(block.group(2)));
      }
    }
    if (certificates.isEmpty()) {
      throw invalid(null);
    }
    return certificates;
  }

  /** Trust managers that trust exactly {@code certificates}. */
  static TrustManager[] trustManagers(List<X509Certificate> certificates) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("endpoint-ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw StorageException.permanent("cannot build a trust store from s3 endpointCA", e);
    }
  }

  private static String pemText(String value) {
    if (value.startsWith(BEGIN)) {
      return value;
    }
    String decoded = decodeBase64(value);
    if (decoded != null && decoded.contains(BEGIN)) {
      return decoded;
    }
    Path file = asFile(value);
    if (file != null) {
      try {
        return Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw StorageException.permanent("cannot read s3 endpointCA file [" + value + "]", e);
      }
    }
    if (decoded != null) {
      throw invalid(null); // valid base64, but not PEM
    }
    throw StorageException.permanent(
        "s3 endpointCA is neither base64-encoded PEM nor a readable file path");
  }

  /** Like Go's StdEncoding: padded standard alphabet, line breaks ignored, anything else fails. */
  private static String decodeBase64(String value) {
    try {
      byte[] bytes = Base64.getDecoder().decode(value.replace("\r", "").replace("\n", ""));
      return new String(bytes, StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Path asFile(String value) {
    try {
      Path path = Path.of(value);
      return Files.isRegularFile(path) ? path : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static X509Certificate certificate(String base64Body) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64Body);
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | IllegalArgumentException e) {
      throw invalid(e);
    }
  }

  private static StorageException invalid(Exception cause) {
    return StorageException.permanent("s3 endpointCA is not a valid x509 certificate", cause);
  }
}

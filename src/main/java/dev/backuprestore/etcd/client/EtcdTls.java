package dev.backuprestore.etcd.client;

import dev.backuprestore.etcd.EtcdException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The client side of etcd's mutual TLS, from the PEM files every distribution writes: a CA bundle,
 * a client certificate (chain) and its key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA
 * PRIVATE KEY}, kubeadm) or SEC1 ({@code EC PRIVATE KEY}, RKE2/K3s). The key never leaves memory
 * and is never logged.
 *
 * @param caPem the CA bundle that signed etcd's server certificates
 * @param certPem the client certificate, optionally followed by intermediates
 * @param keyPem the client key
 */
public record EtcdTls(String caPem, String certPem, String keyPem) {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  @Override
  public String toString() {
    return "EtcdTls[ca, cert, key=(hidden)]";
  }

  /** Reads the three files (host paths on a node, or a mounted Secret). */
  public static EtcdTls fromFiles(Path ca, Path cert, Path key) {
    return new EtcdTls(read(ca, "CA"), read(cert, "client certificate"), read(key, "client key"));
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new EtcdException(
          "cannot read the etcd " + what + " " + file + ": " + e.getClass().getSimpleName(),
          true,
          e);
    }
  }

  /** An SSL context that presents the client certificate and trusts only the CA. */
  public SSLContext sslContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(caPem, "CA")) {
        trust.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManagerFactory kmf = null;
      if (certPem != null && keyPem != null) {
        char[] password = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        List<X509Certificate> chain = certificates(certPem, "client certificate");
        keys.setKeyEntry("client", privateKey(keyPem), password, chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new EtcdException(
          "cannot build the etcd client TLS context: " + e.getClass().getSimpleName(), true, e);
    }
  }

  static List<X509Certificate> certificates(String pem, String what)
      throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    Matcher m = PEM.matcher(pem == null ? "" : pem);
    while (m.find()) {
      if (m.group(1).equals("CERTIFICATE")) {
        out.add(
            (X509Certificate)
                factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
      }
    }
    if (out.isEmpty()) {
      throw new EtcdException("the etcd " + what + " holds no PEM certificate", true);
    }
    return out;
  }

  static PrivateKey privateKey(String pem) throws GeneralSecurityException, IOException {
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      byte[] der = decode(m.group(2));
      switch (m.group(1)) {
        case "PRIVATE KEY":
          return pkcs8(der);
        case "RSA PRIVATE KEY":
          return KeyFactory.getInstance("RSA")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      new PrivateKeyInfo(
                              new AlgorithmIdentifier(
                                  PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                              RSAPrivateKey.getInstance(der))
                          .getEncoded()));
        case "EC PRIVATE KEY":
          ECPrivateKey ec = ECPrivateKey.getInstance(der);
          return KeyFactory.getInstance("EC")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      new PrivateKeyInfo(
                              new AlgorithmIdentifier(
                                  X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()),
                              ec)
                          .getEncoded()));
        default:
          // e.g. "EC PARAMETERS" before the key (openssl ecparam -genkey): skip
      }
    }
    throw new EtcdException(
        "the etcd client key holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE"
            + " KEY)",
        true);
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException tryNext) {
        // not this algorithm
      }
    }
    throw new GeneralSecurityException("unsupported PKCS#8 key algorithm");
  }

  private static byte[] decode(String base64) {
    return Base64.getMimeDecoder().decode(base64);
  }
}

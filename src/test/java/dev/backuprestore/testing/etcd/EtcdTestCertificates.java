package dev.backuprestore.testing.etcd;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away etcd PKI made at test time with BouncyCastle: an EC P-256 CA, one server+peer
 * certificate for {@code 127.0.0.1}/{@code localhost} shared by the members, and a client
 * certificate whose key is written as SEC1 ({@code EC PRIVATE KEY}, as RKE2 and K3s write theirs).
 */
record EtcdTestCertificates(
    Path caFile, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  static EtcdTestCertificates generate(Path dir) throws IOException {
    try {
      KeyPair ca = ecKey();
      X500Name caName = new X500Name("CN=etcd-test-ca");
      Instant now = Instant.now();
      X509v3CertificateBuilder caBuilder =
          new JcaX509v3CertificateBuilder(
              caName,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(2))),
              caName,
              ca.getPublic());
      caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      caBuilder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(caBuilder, ca.getPrivate());

      KeyPair server = ecKey();
      X509Certificate serverCert =
          leaf(
              caName,
              ca.getPrivate(),
              server,
              "etcd-member",
              now,
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
              true);
      KeyPair client = ecKey();
      X509Certificate clientCert =
          leaf(
              caName,
              ca.getPrivate(),
              client,
              "etcd-client",
              now,
              new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth},
              false);

      EtcdTestCertificates files =
          new EtcdTestCertificates(
              dir.resolve("ca.crt"),
              dir.resolve("server.crt"),
              dir.resolve("server.key"),
              dir.resolve("client.crt"),
              dir.resolve("client.key"));
      Files.writeString(files.caFile(), pem(caCert));
      Files.writeString(files.serverCert(), pem(serverCert));
      Files.writeString(files.serverKey(), pkcs8(server.getPrivate()));
      Files.writeString(files.clientCert(), pem(clientCert));
      Files.writeString(files.clientKey(), sec1(client.getPrivate()));
      return files;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make the etcd test certificates", e);
    }
  }

  private static X509Certificate leaf(
      X500Name issuer,
      PrivateKey issuerKey,
      KeyPair subject,
      String cn,
      Instant now,
      KeyPurposeId[] usages,
      boolean withSans)
      throws GeneralSecurityException, IOException, OperatorCreationException {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))),
            new X500Name("CN=" + cn),
            subject.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages));
    if (withSans) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
    }
    return sign(builder, issuerKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom());
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /** SEC1 with the curve OID inside, as openssl and RKE2/K3s write it. */
  private static String sec1(PrivateKey key) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey withCurve =
        new ECPrivateKey(
            256,
            inner.getKey(),
            inner.getPublicKey(),
            info.getPrivateKeyAlgorithm().getParameters());
    return "-----BEGIN EC PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(withCurve.getEncoded())
        + "\n-----END EC PRIVATE KEY-----\n";
  }

  private static String pkcs8(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}

package dev.backuprestore.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate for {@code 127.0.0.1} and {@code
 * localhost} (and optionally one more IP address), made with the JDK's {@code keytool}
 * (BouncyCastle's PKIX module is not a dependency).
 *
 * @param caPem the CA certificate as PEM, what a client trusts (e.g. S3 {@code endpointCA})
 * @param serverKeyStore a PKCS#12 key store with the server key and its chain (server, CA)
 * @param password the password of the key store and of its key
 */
public record TestCertificates(String caPem, Path serverKeyStore, String password) {

  /** Generates a fresh CA and server certificate, valid for two days, in {@code directory}. */
  public static TestCertificates generate(Path directory) throws IOException, InterruptedException {
    return generate(directory, "127.0.0.1");
  }

  /** As {@link #generate(Path)}, with {@code ipAddress} in the server certificate too. */
  public static TestCertificates generate(Path directory, String ipAddress)
      throws IOException, InterruptedException {
    String san =
        "127.0.0.1".equals(ipAddress)
            ? "ip:127.0.0.1,dns:localhost"
            : "ip:127.0.0.1,ip:" + ipAddress + ",dns:localhost";
    String password = "changeit-test";
    Path ca = directory.resolve("ca.p12");
    Path caPem = directory.resolve("ca.pem");
    Path server = directory.resolve("server.p12");
    Path csr = directory.resolve("server.csr");
    Path serverPem = directory.resolve("server.pem");
    String store = "-storetype PKCS12 -storepass " + password + " -keypass " + password;

    keytool(
        "-genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 2 -ext bc:c"
            + " -dname CN=backup-restore-test-ca -keystore "
            + ca
            + " "
            + store);
    keytool("-exportcert -rfc -alias ca -file " + caPem + " -keystore " + ca + " " + store);
    keytool(
        "-genkeypair -alias server -keyalg RSA -keysize 2048 -validity 2"
            + " -dname CN=localhost -keystore "
            + server
            + " "
            + store);
    keytool("-certreq -alias server -file " + csr + " -keystore " + server + " " + store);
    keytool(
        "-gencert -rfc -alias ca -validity 2 -infile "
            + csr
            + " -outfile "
            + serverPem
            + " -ext san="
            + san
            + " -ext eku=serverAuth -ext ku=digitalSignature,keyEncipherment"
            + " -keystore "
            + ca
            + " "
            + store);
    keytool(
        "-importcert -noprompt -alias ca -file " + caPem + " -keystore " + server + " " + store);
    keytool(
        "-importcert -noprompt -alias server -file "
            + serverPem
            + " -keystore "
            + server
            + " "
            + store);
    return new TestCertificates(
        Files.readString(caPem, StandardCharsets.US_ASCII), server, password);
  }

  private static void keytool(String arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments.split(" ")));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + arguments + " failed: " + output);
    }
  }
}

package dev.backuprestore.cli.archive;

import dev.backuprestore.cli.CliException;
import dev.backuprestore.config.EncryptionConfigLoader;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.EncryptionConfigException;
import dev.backuprestore.crypto.ObjectCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The EncryptionConfiguration that decrypts the archive: a file or the operator's Secret. */
public final class EncryptionOptions {
  @ArgGroup(exclusive = true)
  Source source;

  static final class Source {
    @Option(
        names = {"-e", "--encryption-config"},
        paramLabel = "FILE",
        description = "EncryptionConfiguration YAML file (as in the encryption Secret)")
    Path file;

    @Option(
        names = "--encryption-secret",
        paramLabel = "NAME",
        description =
            "Secret in the operator namespace holding encryption-provider-config.yaml (the"
                + " Backup's encryptionConfigSecretName)")
    String secret;
  }

  boolean isSet() {
    return source != null;
  }

  /**
   * The cipher: from the options, else the Secret the Backup names ({@code fallbackSecret}), else
   * none (plain archives; encrypted entries then fail to decrypt).
   */
  ObjectCipher cipher(ClusterOptions cluster, String fallbackSecret) {
    if (source != null && source.file != null) {
      return fromFile(source.file);
    }
    String secret = source != null ? source.secret : fallbackSecret;
    if (secret == null || secret.isBlank()) {
      return ObjectCipher.none();
    }
    return new EncryptionConfigLoader(cluster.client(), cluster.operatorNamespace).load(secret);
  }

  static ObjectCipher fromFile(Path file) {
    try {
      return ObjectCipher.of(EncryptionConfig.parse(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new CliException("cannot read encryption config " + file + ": " + e.getMessage(), e);
    } catch (EncryptionConfigException e) {
      throw new CliException("encryption config " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.backuprestore.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator's installation says about storage, as plain values: where its Secrets live, the
 * default S3 location Secret, the default local directory (the chart's PV) and whether S3 is spoken
 * over HTTPS. The operator builds it from its environment; the CLI from its options.
 *
 * @param chartNamespace the namespace of the encryption and default-location Secrets
 * @param defaultS3SecretName the Secret of the default S3 location; empty for none
 * @param defaultLocalDirectory the default local directory (the chart's PV mount), if any
 * @param useHttps false only in dev mode (an endpoint without a scheme is then plain HTTP)
 */
public record StorageDefaults(
    String chartNamespace,
    String defaultS3SecretName,
    Optional<Path> defaultLocalDirectory,
    boolean useHttps) {
  public StorageDefaults {
    Objects.requireNonNull(chartNamespace, "chartNamespace");
    defaultS3SecretName = defaultS3SecretName == null ? "" : defaultS3SecretName;
    defaultLocalDirectory =
        defaultLocalDirectory == null ? Optional.empty() : defaultLocalDirectory;
  }
}

package dev.backuprestore.etcd.restore;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A sha256 the snapshot zip must have, and where it was recorded ({@code --expect-sha256}, the
 * {@code EtcdSnapshotFile} status, the S3 object metadata, the {@code .zip.sha256} sidecar).
 */
public record ExpectedChecksum(String sha256, String recordedIn) {
  public ExpectedChecksum {
    Objects.requireNonNull(recordedIn, "recordedIn");
    String hex = Objects.requireNonNull(sha256, "sha256").trim().toLowerCase(Locale.ROOT);
    if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException(
          "sha256 from " + recordedIn + " is not 64 hex digits: '" + sha256 + "'");
    }
    sha256 = hex;
  }
}

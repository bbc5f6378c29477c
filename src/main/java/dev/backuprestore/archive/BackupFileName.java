package dev.backuprestore.archive;

import com.google.re2j.Pattern;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The one owner of backup file names: {@code <backupName>-<clusterId>-<timestamp>.tar.gz[.enc]},
 * where the cluster id is the UID of the {@code kube-system} Namespace and the timestamp is Go's
 * {@code time.RFC3339} with every {@code :} replaced by {@code -} (e.g. {@code
 * 2024-05-01T13-45-07Z}, {@code 2020-09-26T12-49-34-07-00}). {@code .enc} marks a backup made with
 * an encryption config, whatever was actually encrypted.
 *
 * <p>Also Rancher's retention matching, which differs between local files (a glob) and S3 keys (an
 * unanchored RE2 regexp with unescaped dots, that also accepts old {@code #}-separated timestamps).
 * Restore never parses file names.
 */
public final class BackupFileName {
  /** Suffix of every archive. */
  public static final String SUFFIX = ".tar.gz";

  /** Suffix of an archive made with an encryption config. */
  public static final String ENCRYPTED_SUFFIX = ".tar.gz.enc";

  /** Go's {@code time.RFC3339}: seconds precision, {@code Z} for a zero offset. */
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  /** Where retention looks for older archives. */
  public enum Kind {
    /** A local directory (the PVC mount): glob {@code <name>-<clusterId>*.tar.gz[.enc]}. */
    LOCAL,
    /** S3 keys: regexp {@code <name>-<clusterId>-([0-9-#]).*tar.gz[.enc]$}, unanchored. */
    S3
  }

  private BackupFileName() {}

  /** E.g. {@code nightly-0b6f...-2024-05-01T13-45-07Z.tar.gz.enc}. */
  public static String format(
      String backupName, String clusterId, ZonedDateTime time, boolean encrypted) {
    requirePart("backup name", backupName);
    requirePart("cluster id", clusterId);
    return backupName
        + "-"
        + clusterId
        + "-"
        + timestamp(time)
        + (encrypted ? ENCRYPTED_SUFFIX : SUFFIX);
  }

  /** What every archive name of this Backup starts with: {@code <name>-<clusterId>-}. */
  public static String prefix(String backupName, String clusterId) {
    requirePart("backup name", backupName);
    requirePart("cluster id", clusterId);
    return backupName + "-" + clusterId + "-";
  }

  /**
   * RFC 3339 at second precision in {@code time}'s own offset, with {@code :} replaced by {@code
   * -}.
   */
  public static String timestamp(ZonedDateTime time) {
    return RFC3339.format(time.truncatedTo(ChronoUnit.SECONDS)).replace(':', '-');
  }

  /**
   * Whether Rancher's retention would count {@code fileName} as an archive of this Backup; only
   * archives of the same kind (encrypted or not) are counted.
   *
   * @param fileName a base file name for {@link Kind#LOCAL}; an object key (possibly with a folder
   *     prefix) for {@link Kind#S3}
   */
  public static boolean isRetentionCandidate(
      String fileName, String backupName, String clusterId, boolean encrypted, Kind kind) {
    String suffix = encrypted ? ENCRYPTED_SUFFIX : SUFFIX;
    if (kind == Kind.LOCAL) {
      // filepath.Glob("<name>-<uid>*<suffix>"): names and UIDs hold no glob metacharacters,
      // and '*' does not cross '/'.
      String prefix = backupName + "-" + clusterId;
      return fileName.length() >= prefix.length() + suffix.length()
          && fileName.startsWith(prefix)
          && fileName.endsWith(suffix)
          && fileName.indexOf('/', prefix.length()) < 0;
    }
    // Rancher's exact pattern: the name, uid and suffix dots are regexp wildcards.
    String pattern =
        backupName + "-" + clusterId + "-([0-9-#]).*" + (encrypted ? "tar.gz.enc$" : "tar.gz$");
    return Pattern.compile(pattern).matcher(fileName).find();
  }

  /**
   * The parts of a file name written by {@link #format} (or by Rancher): the backup name, the
   * cluster id (a UUID), the timestamp as written, and whether it carries {@code .enc}.
   */
  public record Parts(String backupName, String clusterId, String timestamp, boolean encrypted) {}

  private static final java.util.regex.Pattern PARTS =
      java.util.regex.Pattern.compile(
          "^(.+)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-"
              + "([0-9]{4}-[0-9]{2}-[0-9]{2}[T#][0-9#Z+-]+)\\.tar\\.gz(\\.enc)?$");

  /** The parts of {@code fileName}, or empty when it is not a name this scheme writes. */
  public static java.util.Optional<Parts> parse(String fileName) {
    java.util.regex.Matcher m = PARTS.matcher(fileName);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Parts(m.group(1), m.group(2), m.group(3), m.group(4) != null));
  }

  private static void requirePart(String what, String value) {
    if (value == null || value.isEmpty() || value.indexOf('/') >= 0) {
      throw new IllegalArgumentException("invalid " + what + " '" + value + "'");
    }
  }
}

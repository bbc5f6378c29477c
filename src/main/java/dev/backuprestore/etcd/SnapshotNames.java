package dev.backuprestore.etcd;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one owner of etcd snapshot names, RKE's grammar:
 *
 * <ul>
 *   <li>one-time: {@code rke_etcd_snapshot_<RFC3339 with the local offset>}, e.g. {@code
 *       rke_etcd_snapshot_2020-10-15T16:47:24+02:00}, or a name the user gives;
 *   <li>recurring: {@code <RFC3339 UTC>_etcd}, e.g. {@code 2020-10-15T14:53:26Z_etcd};
 *   <li>{@code safeTimestamp} (RKE's {@code backup_config.safe_timestamp}): every {@code :} of the
 *       timestamp replaced by {@code -}, for stores and file systems that dislike colons.
 * </ul>
 *
 * <p>The zip is {@code <name>.zip} and its checksum sidecar {@code <name>.zip.sha256}. Retention
 * parses names back with {@link #parse}: only names that match a grammar exactly count, never a
 * prefix match (RKE issue 1486: {@code myname} also matched {@code myname1.zip}).
 */
public final class SnapshotNames {
  public static final String ONE_TIME_PREFIX = "rke_etcd_snapshot_";
  public static final String RECURRING_SUFFIX = "_etcd";
  public static final String ZIP_SUFFIX = ".zip";
  public static final String SIDECAR_SUFFIX = ".zip.sha256";
  public static final String STATE_SUFFIX = ".state.json";
  public static final String MANIFEST = "manifest.json";

  /** Longest accepted name: leaves room for suffixes within a 255-byte file name. */
  public static final int MAX_NAME_LENGTH = 200;

  /** Go's {@code time.RFC3339}: seconds, {@code Z} for UTC, else {@code +hh:mm}. */
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private static final String TIMESTAMP =
      "(\\d{4}-\\d{2}-\\d{2}T\\d{2}([:-])\\d{2}\\2\\d{2}(?:Z|[+-]\\d{2}\\2\\d{2}))";
  private static final Pattern ONE_TIME = Pattern.compile("rke_etcd_snapshot_" + TIMESTAMP);
  private static final Pattern RECURRING = Pattern.compile(TIMESTAMP + "_etcd");
  private static final Pattern GIVEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:-]*");

  /** What a name is, for retention. */
  public enum Kind {
    ONE_TIME,
    RECURRING,
    GIVEN
  }

  /**
   * A parsed name.
   *
   * @param name the snapshot name (without {@code .zip})
   * @param kind which grammar matched
   * @param time the timestamp in the name, absent for a given name
   */
  public record ParsedName(String name, Kind kind, Optional<Instant> time) {}

  private SnapshotNames() {}

  /** {@code rke_etcd_snapshot_<RFC3339 in zone>}; {@code safe} replaces {@code :} by {@code -}. */
  public static String oneTime(Instant now, ZoneId zone, boolean safe) {
    return ONE_TIME_PREFIX + timestamp(now.atZone(zone).toOffsetDateTime(), safe);
  }

  /** {@code <RFC3339 UTC>_etcd}; {@code safe} replaces {@code :} by {@code -}. */
  public static String recurring(Instant now, boolean safe) {
    return timestamp(now.atOffset(ZoneOffset.UTC), safe) + RECURRING_SUFFIX;
  }

  private static String timestamp(OffsetDateTime time, boolean safe) {
    String formatted = RFC3339.format(time.truncatedTo(ChronoUnit.SECONDS));
    return safe ? formatted.replace(':', '-') : formatted;
  }

  /**
   * Checks a name the user gives (RKE {@code --name}): letters, digits, {@code . _ + : -}, starting
   * with a letter or digit, at most {@link #MAX_NAME_LENGTH} characters, not ending in {@code .zip}
   * (the suffix is added), no {@code ..}.
   *
   * @throws IllegalArgumentException with a message saying which rule the name breaks
   */
  public static String requireValidName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("snapshot name is empty");
    }
    String printable = EtcdSnapshotFormatException.printable(name);
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "snapshot name '" + printable + "' is longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (!GIVEN.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "snapshot name '"
              + printable
              + "' may hold only letters, digits and . _ + : - (starting with a letter or digit,"
              + " no '..')");
    }
    if (name.endsWith(ZIP_SUFFIX)) {
      throw new IllegalArgumentException(
          "snapshot name '" + printable + "' must not end in .zip: the suffix is added");
    }
    return name;
  }

  /** {@code <name>.zip}. */
  public static String zipName(String name) {
    return name + ZIP_SUFFIX;
  }

  /** {@code <name>.zip.sha256}. */
  public static String sidecarName(String name) {
    return name + SIDECAR_SUFFIX;
  }

  /** {@code <name>.state.json}, the cluster state entry inside the zip. */
  public static String stateEntryName(String name) {
    return name + STATE_SUFFIX;
  }

  /**
   * Parses a snapshot name or zip file name ({@code .zip} is stripped). Empty when the name is not
   * a valid snapshot name at all (e.g. a sidecar, a partial file, a foreign file).
   */
  public static Optional<ParsedName> parse(String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    String name =
        fileName.endsWith(ZIP_SUFFIX)
            ? fileName.substring(0, fileName.length() - ZIP_SUFFIX.length())
            : fileName;
    Matcher oneTime = ONE_TIME.matcher(name);
    if (oneTime.matches()) {
      return time(oneTime.group(1), oneTime.group(2))
          .map(t -> new ParsedName(name, Kind.ONE_TIME, Optional.of(t)));
    }
    Matcher recurring = RECURRING.matcher(name);
    if (recurring.matches()) {
      return time(recurring.group(1), recurring.group(2))
          .map(t -> new ParsedName(name, Kind.RECURRING, Optional.of(t)));
    }
    try {
      return Optional.of(new ParsedName(requireValidName(name), Kind.GIVEN, Optional.empty()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Parses the timestamp; a safe timestamp has {@code -} where RFC 3339 has {@code :}. */
  private static Optional<Instant> time(String text, String separator) {
    String rfc3339 = text;
    if ("-".equals(separator)) {
      // yyyy-MM-ddTHH-mm-ss[Z|+hh-mm]: restore the colons after the 'T'.
      int t = text.indexOf('T');
      String clock = text.substring(t + 1);
      String offset = "";
      if (clock.endsWith("Z")) {
        clock = clock.substring(0, clock.length() - 1);
        offset = "Z";
      } else {
        offset = clock.substring(8, 9) + clock.substring(9).replace('-', ':');
        clock = clock.substring(0, 8);
      }
      rfc3339 = text.substring(0, t + 1) + clock.replace('-', ':') + offset;
    }
    try {
      return Optional.of(OffsetDateTime.parse(rfc3339, RFC3339).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}

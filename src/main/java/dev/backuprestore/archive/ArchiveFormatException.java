package dev.backuprestore.archive;

import dev.backuprestore.kube.OperatorException;

/**
 * An archive that is not a valid backup archive: not gzip, truncated, trailing garbage, an entry
 * with an unsafe or unknown path, an empty or oversized entry. Permanent: reading the same bytes
 * again gives the same result. The message names the entry (when there is one) and the reason.
 */
public class ArchiveFormatException extends OperatorException {
  public ArchiveFormatException(String message) {
    super(message, true);
  }

  public ArchiveFormatException(String message, Throwable cause) {
    super(message, true, cause);
  }

  static ArchiveFormatException forEntry(String path, String reason) {
    return new ArchiveFormatException("archive entry '" + printable(path) + "': " + reason);
  }

  /** Entry names come from untrusted archives: keep control characters out of status messages. */
  static String printable(String path) {
    StringBuilder out = new StringBuilder(path.length());
    path.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }
}

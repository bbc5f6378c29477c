package dev.backuprestore.etcd;

/**
 * A snapshot file or snapshot zip that is not valid: a missing or wrong sha256 trailer, a truncated
 * or corrupt zip, an unsafe, unknown or duplicate entry name, a manifest that does not match.
 * Always permanent: the same bytes give the same result. The message names the file and the entry.
 */
public class EtcdSnapshotFormatException extends EtcdException {
  public EtcdSnapshotFormatException(String message) {
    super(message, true);
  }

  public EtcdSnapshotFormatException(String message, Throwable cause) {
    super(message, true, cause);
  }

  /** Entry names come from untrusted zips: keep control characters out of status messages. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
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

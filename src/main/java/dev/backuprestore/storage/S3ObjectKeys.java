package dev.backuprestore.storage;

/**
 * The one place that maps archive file names to S3 object keys and back.
 *
 * <p>Upload key, as in Rancher: {@code strings.Trim(TrimRight(folder, "/") + "/" + file, "/")},
 * i.e. leading and trailing slashes removed; no folder means the bare file name. Downloads and
 * deletes use the same key (Rancher's download does not trim a leading slash; archives it uploaded
 * never have one, so using the upload key everywhere finds them).
 */
final class S3ObjectKeys {
  private S3ObjectKeys() {}

  /** The object key of {@code fileName} in {@code folder}. */
  static String key(String folder, String fileName) {
    if (folder == null || folder.isEmpty()) {
      return fileName;
    }
    return trimSlashes(stripTrailingSlashes(folder) + "/" + fileName);
  }

  /**
   * The listing prefix of {@code folder}: {@code "<folder>/"}, or empty for the bucket root. The
   * trailing slash keeps folder {@code backups} from matching keys under {@code backups2/}.
   */
  static String listPrefix(String folder) {
    String trimmed = folder == null ? "" : trimSlashes(folder);
    return trimmed.isEmpty() ? "" : trimmed + "/";
  }

  /**
   * The file name of a listed key: the key without the folder prefix. Keys in sub-folders keep
   * their relative path ({@code sub/file}), which {@link #key} maps back to the same object.
   */
  static String fileName(String listPrefix, String key) {
    return key.startsWith(listPrefix) ? key.substring(listPrefix.length()) : key;
  }

  private static String stripTrailingSlashes(String value) {
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == '/') {
      end--;
    }
    return value.substring(0, end);
  }

  private static String trimSlashes(String value) {
    int start = 0;
    while (start < value.length() && value.charAt(start) == '/') {
      start++;
    }
    return stripTrailingSlashes(value.substring(start));
  }
}

package dev.backuprestore.archive;

import java.util.List;

/**
 * The one owner of entry paths inside a backup archive (format version 1, Rancher's):
 *
 * <ul>
 *   <li>type directory {@code <resource>.<group>#<version>}; the core group is empty, so Secrets
 *       live in {@code secrets.#v1};
 *   <li>cluster-scoped object {@code <typeDir>/<name>.json}, namespaced object {@code
 *       <typeDir>/<namespace>/<name>.json};
 *   <li>{@code filters/filters.json}: the ResourceSet used for the backup. Only this exact path and
 *       the {@code filters} directory are special (Rancher skipped every path containing
 *       "filters").
 * </ul>
 *
 * <p>Paths are relative, {@code /}-separated, without {@code ./} prefix; see {@code
 * docs/archive-format.md}. Building a path from bad parts is a programming error ({@link
 * IllegalArgumentException}); parsing a bad path read from an archive is an {@link
 * ArchiveFormatException}.
 */
public final class ArchiveLayout {
  /** Directory of the ResourceSet copy. */
  public static final String FILTERS_DIRECTORY = "filters";

  /** The ResourceSet used for the backup, as JSON. */
  public static final String FILTERS_FILE = "filters/filters.json";

  static final String OBJECT_SUFFIX = ".json";
  private static final String EXPECTED =
      "expected <resource>.<group>#<version>/[<namespace>/]<name>.json";

  private ArchiveLayout() {}

  /**
   * {@code <resource>.<group>#<version>}, e.g. {@code secrets.#v1}, {@code
   * users.management.cattle.io#v3}.
   */
  public static String typeDirectory(String group, String version, String resource) {
    requirePart("resource", resource, ".#/");
    requirePart("version", version, ".#/");
    if (group == null || group.contains("#") || group.contains("/")) {
      throw new IllegalArgumentException("invalid API group '" + group + "'");
    }
    return resource + "." + group + "#" + version;
  }

  /**
   * The path of one object, validated so that {@link #parseObjectPath} reads it back unchanged.
   *
   * @param namespace {@code null} for a cluster-scoped object
   */
  public static ObjectPath object(
      String group, String version, String resource, String namespace, String name) {
    typeDirectory(group, version, resource);
    if (namespace != null) {
      requireSegment("namespace", namespace);
    }
    requireSegment("name", name);
    return new ObjectPath(group, version, resource, namespace, name);
  }

  /** True for exactly {@code filters/filters.json}. */
  public static boolean isFiltersFile(String path) {
    return FILTERS_FILE.equals(path);
  }

  /**
   * Parses the path of an object entry.
   *
   * @throws ArchiveFormatException naming the path and the reason: unsafe path ({@code ..},
   *     absolute, {@code ./}), too many or too few segments, unknown type directory, not {@code
   *     .json}
   */
  public static ObjectPath parseObjectPath(String path) {
    List<String> segments = safeSegments(path);
    if (segments.size() < 2) {
      throw ArchiveFormatException.forEntry(path, "not inside a type directory; " + EXPECTED);
    }
    if (segments.size() > 3) {
      throw ArchiveFormatException.forEntry(
          path, "too many path segments (" + segments.size() + "); " + EXPECTED);
    }
    String typeDir = segments.get(0);
    int hash = typeDir.indexOf('#');
    int dot = typeDir.indexOf('.');
    if (hash < 0
        || hash != typeDir.lastIndexOf('#')
        || dot < 1
        || dot > hash
        || hash == typeDir.length() - 1) {
      throw ArchiveFormatException.forEntry(
          path,
          "unknown layout: type directory '" + typeDir + "' is not <resource>.<group>#<version>");
    }
    String resource = typeDir.substring(0, dot);
    String group = typeDir.substring(dot + 1, hash);
    String version = typeDir.substring(hash + 1);
    if (version.contains(".")) {
      throw ArchiveFormatException.forEntry(
          path, "unknown layout: version '" + version + "' in type directory '" + typeDir + "'");
    }
    String file = segments.get(segments.size() - 1);
    if (!file.endsWith(OBJECT_SUFFIX) || file.length() == OBJECT_SUFFIX.length()) {
      throw ArchiveFormatException.forEntry(path, "unknown layout: object file is not <name>.json");
    }
    String name = file.substring(0, file.length() - OBJECT_SUFFIX.length());
    String namespace = segments.size() == 3 ? segments.get(1) : null;
    return new ObjectPath(group, version, resource, namespace, name);
  }

  /**
   * Checks a directory entry's path: safe, relative, one optional trailing {@code /}. Directories
   * carry no data, so their layout is not checked.
   */
  static void checkDirectoryPath(String path) {
    String withoutSlash = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    safeSegments(withoutSlash.isEmpty() ? path : withoutSlash, path);
  }

  /** Splits a relative path, rejecting anything that could escape or alias the archive root. */
  static List<String> safeSegments(String path) {
    return safeSegments(path, path);
  }

  private static List<String> safeSegments(String path, String shown) {
    if (path.isEmpty()) {
      throw ArchiveFormatException.forEntry(shown, "empty path");
    }
    if (path.startsWith("/")) {
      throw ArchiveFormatException.forEntry(shown, "absolute path; paths must be relative");
    }
    if (path.indexOf('\0') >= 0) {
      throw ArchiveFormatException.forEntry(shown, "NUL character in path");
    }
    if (path.startsWith("./")) {
      throw ArchiveFormatException.forEntry(shown, "path starts with './'; entry paths must not");
    }
    List<String> segments = List.of(path.split("/", -1));
    for (String segment : segments) {
      if (segment.equals("..")) {
        throw ArchiveFormatException.forEntry(shown, "'..' segment escapes the archive root");
      }
      if (segment.equals(".")) {
        throw ArchiveFormatException.forEntry(shown, "'.' segment in path");
      }
      if (segment.isEmpty()) {
        throw ArchiveFormatException.forEntry(shown, "empty path segment");
      }
    }
    return segments;
  }

  private static void requirePart(String what, String value, String forbidden) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    for (char c : forbidden.toCharArray()) {
      if (value.indexOf(c) >= 0) {
        throw new IllegalArgumentException(
            "invalid " + what + " '" + value + "': contains '" + c + "'");
      }
    }
  }

  private static void requireSegment(String what, String value) {
    if (value == null || value.isEmpty() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("invalid " + what + " '" + value + "'");
    }
    if (value.indexOf('/') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + value + "': contains '/' or NUL");
    }
  }
}

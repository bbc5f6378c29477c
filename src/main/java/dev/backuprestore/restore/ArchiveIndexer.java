package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.archive.ArchiveEntry;
import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.archive.TarGzArchiveReader;
import dev.backuprestore.crypto.DecryptionException;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.GroupVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an archive once, before anything touches the cluster: every entry is decrypted, parsed and
 * checked, and what ordering, apply and prune need goes into a {@link RestorePlan}. Bodies are not
 * kept, so memory grows by a small index entry per object, not by the archive size.
 *
 * <p>Any bad entry fails the whole restore, with the entry's path and the reason: the archive
 * format problems of {@link TarGzArchiveReader} ({@link ArchiveFormatException}), an entry that is
 * not a JSON object or does not match its path ({@link ArchiveFormatException}), an entry that
 * cannot be decrypted ({@link DecryptionException}). All are permanent.
 */
public final class ArchiveIndexer {
  /**
   * Largest entry accepted: the API server takes request bodies up to 3 MiB, and an encrypted entry
   * is base64 (4/3) of that plus a prefix; 16 MiB leaves room without letting a corrupt size field
   * make us read gigabytes.
   */
  public static final long DEFAULT_MAX_ENTRY_BYTES = 16L * 1024 * 1024;

  private final long maxEntryBytes;

  public ArchiveIndexer() {
    this(DEFAULT_MAX_ENTRY_BYTES);
  }

  public ArchiveIndexer(long maxEntryBytes) {
    this.maxEntryBytes = maxEntryBytes;
  }

  /**
   * Indexes the archive read from {@code archive} (closed afterwards).
   *
   * @throws ArchiveFormatException, DecryptionException for a bad archive (permanent)
   * @throws IOException when reading the stream itself fails (worth retrying)
   */
  public RestorePlan index(InputStream archive, ObjectCipher cipher) throws IOException {
    Strings strings = new Strings();
    List<PlannedObject> objects = new ArrayList<>();
    Set<String> statusKeys = new HashSet<>();
    BackupFilters filters = BackupFilters.absent();
    try (TarGzArchiveReader reader = new TarGzArchiveReader(archive, maxEntryBytes)) {
      Optional<ArchiveEntry> next;
      while ((next = reader.next()).isPresent()) {
        ArchiveEntry entry = next.get();
        if (entry.isFilters()) {
          filters = parseFilters(entry.path(), entry.content());
          continue;
        }
        ObjectPath path = strings.path(entry.object());
        ObjectNode object = ArchiveJson.parseObject(entry.path(), open(cipher, entry, path));
        objects.add(index(entry.path(), path, object, strings));
        if (Crds.isCrd(path)) {
          statusKeys.addAll(Crds.statusSubresourceKeys(object));
        }
      }
    }
    return new RestorePlan(objects, filters, statusKeys);
  }

  /**
   * Checks one entry exactly as {@link #index} does (decrypts it, parses it, matches it with its
   * path; the filters as a ResourceSet), so that a tool can report every bad entry of an archive
   * instead of the first.
   *
   * @return the entry's object (decrypted), or the filters for {@code filters/filters.json}
   * @throws ArchiveFormatException, DecryptionException for a bad entry
   */
  public static ObjectNode checkEntry(ArchiveEntry entry, ObjectCipher cipher) {
    if (entry.isFilters()) {
      parseFilters(entry.path(), entry.content());
      return ArchiveJson.parseObject(entry.path(), entry.content());
    }
    ObjectNode object = ArchiveJson.parseObject(entry.path(), open(cipher, entry, entry.object()));
    index(entry.path(), entry.object(), object, new Strings());
    return object;
  }

  /** Decrypts an entry; the error names the entry path as well as the object. */
  static byte[] open(ObjectCipher cipher, ArchiveEntry entry, ObjectPath path) {
    try {
      return cipher.open(
          path.group(), path.resource(), path.namespace(), path.name(), entry.content());
    } catch (DecryptionException e) {
      throw new DecryptionException(
          "archive entry '" + ArchiveJson.printable(entry.path()) + "': " + e.getMessage(), e);
    }
  }

  private static PlannedObject index(
      String entryPath, ObjectPath path, ObjectNode object, Strings strings) {
    String apiVersion = requiredText(entryPath, object, "apiVersion");
    String kind = requiredText(entryPath, object, "kind");
    GroupVersion groupVersion;
    try {
      groupVersion = GroupVersion.parse(apiVersion);
    } catch (IllegalArgumentException e) {
      throw ArchiveJson.entryError(entryPath, "invalid apiVersion '" + apiVersion + "'");
    }
    if (!groupVersion.group().equals(path.group())
        || !groupVersion.version().equals(path.version())) {
      throw ArchiveJson.entryError(
          entryPath,
          "apiVersion '"
              + apiVersion
              + "' does not match the type directory '"
              + path.typeDirectory()
              + "'");
    }
    JsonNode metadata = object.path("metadata");
    if (!metadata.isObject()) {
      throw ArchiveJson.entryError(entryPath, "no metadata object");
    }
    checkMatches(entryPath, metadata, "name", path.name());
    if (path.isNamespaced()) {
      checkMatches(entryPath, metadata, "namespace", path.namespace());
    }
    return new PlannedObject(path, strings.get(kind), owners(entryPath, metadata, strings));
  }

  private static List<OwnerRef> owners(String entryPath, JsonNode metadata, Strings strings) {
    JsonNode references = metadata.path("ownerReferences");
    if (references.isMissingNode() || references.isNull()) {
      return List.of();
    }
    if (!references.isArray()) {
      throw ArchiveJson.entryError(entryPath, "metadata.ownerReferences is not an array");
    }
    List<OwnerRef> owners = new ArrayList<>(references.size());
    for (int i = 0; i < references.size(); i++) {
      JsonNode reference = references.get(i);
      String apiVersion = reference.path("apiVersion").asText("");
      String kind = reference.path("kind").asText("");
      String name = reference.path("name").asText("");
      if (!reference.isObject() || apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
        throw ArchiveJson.entryError(
            entryPath, "metadata.ownerReferences[" + i + "] needs apiVersion, kind and name");
      }
      owners.add(new OwnerRef(strings.get(apiVersion), strings.get(kind), name));
    }
    return owners;
  }

  private static String requiredText(String entryPath, JsonNode object, String field) {
    JsonNode value = object.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw ArchiveJson.entryError(entryPath, "no " + field);
    }
    return value.asText();
  }

  /** A name or namespace in the body, when present, must be the one of the path. */
  private static void checkMatches(
      String entryPath, JsonNode metadata, String field, String fromPath) {
    JsonNode value = metadata.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return;
    }
    if (!value.isTextual() || !value.asText().equals(fromPath)) {
      throw ArchiveJson.entryError(
          entryPath,
          "metadata."
              + field
              + " '"
              + ArchiveJson.printable(value.asText())
              + "' does not match the path ('"
              + fromPath
              + "')");
    }
  }

  static BackupFilters parseFilters(String entryPath, byte[] json) {
    ObjectNode filters = ArchiveJson.parseObject(entryPath, json);
    List<ResourceSelector> selectors =
        list(entryPath, filters, "resourceSelectors", ResourceSelector.class);
    List<ControllerReference> controllers =
        list(entryPath, filters, "controllerReferences", ControllerReference.class);
    for (int i = 0; i < controllers.size(); i++) {
      ControllerReference ref = controllers.get(i);
      if (isEmpty(ref.getApiVersion())
          || isEmpty(ref.getResource())
          || isEmpty(ref.getNamespace())
          || isEmpty(ref.getName())) {
        throw ArchiveJson.entryError(
            entryPath,
            "controllerReferences[" + i + "] needs apiVersion, resource, namespace and name");
      }
    }
    return new BackupFilters(true, selectors, controllers);
  }

  private static <T> List<T> list(
      String entryPath, ObjectNode filters, String field, Class<T> type) {
    JsonNode array = filters.path(field);
    if (array.isMissingNode() || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw ArchiveJson.entryError(entryPath, field + " is not an array");
    }
    List<T> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        values.add(ArchiveJson.MAPPER.treeToValue(array.get(i), type));
      } catch (IOException | IllegalArgumentException e) {
        throw ArchiveJson.entryError(entryPath, field + "[" + i + "] is not valid");
      }
    }
    return values;
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  /**
   * Shares the strings that repeat across entries (type parts, namespaces, kinds, owner API
   * versions) so that 100,000 objects cost 100,000 names, not 500,000 strings.
   */
  private static final class Strings {
    private final Map<String, String> seen = new HashMap<>();

    String get(String value) {
      return value == null ? null : seen.computeIfAbsent(value, v -> v);
    }

    ObjectPath path(ObjectPath path) {
      return new ObjectPath(
          get(path.group()),
          get(path.version()),
          get(path.resource()),
          get(path.namespace()),
          path.name());
    }
  }
}

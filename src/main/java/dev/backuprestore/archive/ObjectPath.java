package dev.backuprestore.archive;

/**
 * Where one Kubernetes object lives in an archive: {@code
 * <resource>.<group>#<version>/[<namespace>/]<name>.json}. Build with {@link ArchiveLayout#object}
 * or parse with {@link ArchiveLayout#parseObjectPath}; both validate the parts.
 *
 * @param group API group, empty for the core group
 * @param version API version, e.g. {@code v1}
 * @param resource plural resource name, e.g. {@code secrets}
 * @param namespace namespace, or {@code null} for a cluster-scoped object
 * @param name object name
 */
public record ObjectPath(
    String group, String version, String resource, String namespace, String name) {

  public boolean isNamespaced() {
    return namespace != null;
  }

  /** The type directory, e.g. {@code secrets.#v1} or {@code deployments.apps#v1}. */
  public String typeDirectory() {
    return ArchiveLayout.typeDirectory(group, version, resource);
  }

  /** The entry path, e.g. {@code secrets.#v1/cattle-system/foo.json}. */
  public String path() {
    return typeDirectory()
        + "/"
        + (namespace == null ? "" : namespace + "/")
        + name
        + ArchiveLayout.OBJECT_SUFFIX;
  }

  @Override
  public String toString() {
    return path();
  }
}

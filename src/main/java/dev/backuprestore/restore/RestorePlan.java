package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The index of one archive: every object's path, kind and owners (no bodies), the backup's filters
 * and which custom resource versions have a status subresource. Built by {@link ArchiveIndexer},
 * ordered into waves by {@link WavePlanner}. One plan serves one run.
 */
public final class RestorePlan {
  private final List<PlannedObject> objects;
  private final BackupFilters filters;
  private final Set<String> statusKeys;
  private final Map<ObjectPath, PlannedObject> byPath;
  private final Map<Identity, PlannedObject> byIdentity;
  private List<Integer> clusterWaves = List.of();
  private List<Integer> namespacedWaves = List.of();
  private List<String> warnings = List.of();

  /** How owner references find objects: by group, kind, namespace ("" if none) and name. */
  private record Identity(String group, String kind, String namespace, String name) {}

  RestorePlan(List<PlannedObject> objects, BackupFilters filters, Set<String> statusKeys) {
    this.objects = Collections.unmodifiableList(objects);
    this.filters = filters;
    this.statusKeys = Set.copyOf(statusKeys);
    this.byPath = new HashMap<>(objects.size() * 2);
    this.byIdentity = new HashMap<>(objects.size() * 2);
    for (PlannedObject object : objects) {
      byPath.put(object.path(), object);
      ObjectPath path = object.path();
      byIdentity.putIfAbsent(
          new Identity(path.group(), object.kind(), orEmpty(path.namespace()), path.name()),
          object);
    }
  }

  /** Every archived object, in archive order. */
  public List<PlannedObject> objects() {
    return objects;
  }

  public List<PlannedObject> crds() {
    return objects.stream().filter(PlannedObject::isCrd).toList();
  }

  public BackupFilters filters() {
    return filters;
  }

  /** True when the archive holds an object at {@code path} (restored or skipped: never pruned). */
  public boolean contains(ObjectPath path) {
    return byPath.containsKey(path);
  }

  /**
   * True for custom resources whose CRD is in the archive with a status subresource for this
   * version: their archived status is written through {@code /status}.
   */
  public boolean hasStatusSubresource(ObjectPath path) {
    return statusKeys.contains(Crds.statusKey(path.group(), path.resource(), path.version()));
  }

  /**
   * The archived object an owner reference names: in the dependent's namespace first, then
   * cluster-scoped. The version of the reference does not matter, as for the garbage collector.
   */
  public Optional<PlannedObject> findOwner(OwnerRef ref, String dependentNamespace) {
    String group = ref.group();
    if (dependentNamespace != null) {
      PlannedObject namespaced =
          byIdentity.get(new Identity(group, ref.kind(), dependentNamespace, ref.name()));
      if (namespaced != null) {
        return Optional.of(namespaced);
      }
    }
    return Optional.ofNullable(byIdentity.get(new Identity(group, ref.kind(), "", ref.name())));
  }

  /** Names of the Namespaces the archive holds. */
  public Set<String> archivedNamespaces() {
    Set<String> names = new TreeSet<>();
    for (PlannedObject object : objects) {
      ObjectPath path = object.path();
      if (path.group().isEmpty() && path.resource().equals("namespaces") && !path.isNamespaced()) {
        names.add(path.name());
      }
    }
    return names;
  }

  /** Namespaces that archived namespaced objects live in. */
  public Set<String> usedNamespaces() {
    Set<String> names = new TreeSet<>();
    for (PlannedObject object : objects) {
      if (object.isNamespaced()) {
        names.add(object.path().namespace());
      }
    }
    return names;
  }

  /** Distinct waves of cluster-scoped objects, ascending; set by {@link WavePlanner}. */
  public List<Integer> clusterWaves() {
    return clusterWaves;
  }

  /** Distinct waves of namespaced objects, ascending, all after the cluster-scoped ones. */
  public List<Integer> namespacedWaves() {
    return namespacedWaves;
  }

  /** Things planning noticed (owner reference cycles), for the result's warnings. */
  public List<String> warnings() {
    return warnings;
  }

  void waves(List<Integer> cluster, List<Integer> namespaced, List<String> warnings) {
    this.clusterWaves = List.copyOf(cluster);
    this.namespacedWaves = List.copyOf(namespaced);
    this.warnings = List.copyOf(new ArrayList<>(warnings));
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}

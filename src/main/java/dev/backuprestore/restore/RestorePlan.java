package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeSet;

/**
 * The index of one archive: every object's path, kind and owners (no bodies), the backup's filters
 * and which custom resource versions have a status subresource. Built by {@link ArchiveIndexer},
 * ordered into waves by {@link WavePlanner}. One plan serves one run; {@link #close()} releases its
 * scratch file.
 *
 * <p>The objects live in a {@link PlanStore}, off the heap: a plan of 500,000 objects costs the
 * heap no more than one of 500 (docs/benchmarks.md).
 */
public final class RestorePlan implements AutoCloseable {
  private final PlanStore store;
  private final List<PlannedObject> objects;
  private final BackupFilters filters;
  private final Set<String> statusKeys;
  private List<Integer> clusterWaves = List.of();
  private List<Integer> namespacedWaves = List.of();
  private List<String> warnings = List.of();

  /** A plan of objects made by hand (tests): each one becomes a view of its record. */
  RestorePlan(List<PlannedObject> objects, BackupFilters filters, Set<String> statusKeys) {
    this(storeOf(objects), filters, statusKeys);
  }

  /** A plan over a store that is complete; seals it. */
  RestorePlan(PlanStore store, BackupFilters filters, Set<String> statusKeys) {
    store.seal();
    this.store = store;
    this.objects = new Objects(store);
    this.filters = filters;
    this.statusKeys = Set.copyOf(statusKeys);
  }

  private static PlanStore storeOf(List<PlannedObject> objects) {
    PlanStore store = new PlanStore();
    for (PlannedObject object : objects) {
      object.attach(store);
    }
    return store;
  }

  /** Every archived object, in archive order (views made on demand). */
  public List<PlannedObject> objects() {
    return objects;
  }

  public List<PlannedObject> crds() {
    List<PlannedObject> crds = new ArrayList<>();
    for (PlannedObject object : objects) {
      if (object.isCrd()) {
        crds.add(object);
      }
    }
    return crds;
  }

  public BackupFilters filters() {
    return filters;
  }

  /** True when the archive holds an object at {@code path} (restored or skipped: never pruned). */
  public boolean contains(ObjectPath path) {
    return store.find(path) >= 0;
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
    int index = findOwnerIndex(ref, dependentNamespace);
    return index < 0 ? Optional.empty() : Optional.of(new PlannedObject(store, index));
  }

  /** As {@link #findOwner}, the owner's index or -1. */
  int findOwnerIndex(OwnerRef ref, String dependentNamespace) {
    String group = ref.group();
    if (dependentNamespace != null) {
      int namespaced = store.findIdentity(group, ref.kind(), dependentNamespace, ref.name());
      if (namespaced >= 0) {
        return namespaced;
      }
    }
    return store.findIdentity(group, ref.kind(), null, ref.name());
  }

  /** Names of the Namespaces the archive holds. */
  public Set<String> archivedNamespaces() {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < store.size(); i++) {
      if (!store.isNamespaced(i)
          && store.group(i).isEmpty()
          && store.resource(i).equals("namespaces")) {
        names.add(store.path(i).name());
      }
    }
    return names;
  }

  /** Namespaces that archived namespaced objects live in. */
  public Set<String> usedNamespaces() {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < store.size(); i++) {
      String namespace = store.namespace(i);
      if (namespace != null) {
        names.add(namespace);
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

  PlanStore store() {
    return store;
  }

  /** Releases the scratch file; the plan must not be used afterwards. */
  @Override
  public void close() {
    store.close();
  }

  /** The objects as a list of views. */
  private static final class Objects extends AbstractList<PlannedObject> implements RandomAccess {
    private final PlanStore store;

    Objects(PlanStore store) {
      this.store = store;
    }

    @Override
    public PlannedObject get(int index) {
      java.util.Objects.checkIndex(index, store.size());
      return new PlannedObject(store, index);
    }

    @Override
    public int size() {
      return store.size();
    }
  }
}

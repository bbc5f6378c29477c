package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.util.List;
import java.util.Objects;

/**
 * One object of the archive, as indexed: where it is, what it is, whom it names as owners, and in
 * which wave it is applied. The body is not kept; it is read again from the archive when the wave
 * runs.
 *
 * <p>A plan does not hold one of these per object: it keeps its objects as records in a {@link
 * PlanStore} (off the heap), and a {@code PlannedObject} is a light view of one record, made on
 * demand; two views of the same record are equal. An object made with the public-in-package
 * constructor (tests, small hand-made plans) holds its own values until a {@link RestorePlan} takes
 * it, and from then on is a view of its record too.
 *
 * <p>{@link #state()} and {@link #liveUid()} are written by the worker that applies the object and
 * read by the workers of later waves (dependents); the store publishes them safely.
 */
public final class PlannedObject {
  /** What happened to the object in this run. */
  public enum State {
    PENDING,
    APPLIED,
    SKIPPED,
    FAILED
  }

  private PlanStore store;
  private int index;
  // Only until a plan takes the object.
  private ObjectPath detachedPath;
  private String detachedKind;
  private List<OwnerRef> detachedOwners;

  PlannedObject(ObjectPath path, String kind, List<OwnerRef> owners) {
    this.detachedPath = Objects.requireNonNull(path, "path");
    this.detachedKind = kind;
    this.detachedOwners = List.copyOf(owners);
  }

  PlannedObject(PlanStore store, int index) {
    this.store = store;
    this.index = index;
  }

  /** Moves a detached object into {@code store}. */
  void attach(PlanStore target) {
    if (store != null) {
      throw new IllegalStateException(describe() + " already belongs to a plan");
    }
    this.index = target.add(detachedPath, detachedKind, detachedOwners);
    this.store = target;
    this.detachedPath = null;
    this.detachedKind = null;
    this.detachedOwners = null;
  }

  /** The position of the object in the archive (and its plan). */
  int index() {
    return index;
  }

  public ObjectPath path() {
    return store == null ? detachedPath : store.path(index);
  }

  public String kind() {
    return store == null ? detachedKind : store.kind(index);
  }

  /** The owner references as archived (identity only). */
  public List<OwnerRef> owners() {
    return store == null ? detachedOwners : store.owners(index);
  }

  public boolean isNamespaced() {
    return store == null ? detachedPath.isNamespaced() : store.isNamespaced(index);
  }

  /** True for {@code customresourcedefinitions.apiextensions.k8s.io}, applied before all else. */
  public boolean isCrd() {
    return store == null
        ? Crds.isCrd(detachedPath)
        : Crds.RESOURCE.equals(store.resource(index)) && Crds.GROUP.equals(store.group(index));
  }

  /** The wave the object is applied in; -1 before planning. */
  public int wave() {
    return store == null ? -1 : store.wave(index);
  }

  public State state() {
    return store == null ? State.PENDING : store.state(index);
  }

  /** The UID of the object in the cluster once applied (or found live when skipped). */
  public String liveUid() {
    return store == null ? null : store.liveUid(index);
  }

  void applied(String uid) {
    attached().state(index, State.APPLIED, uid);
  }

  /** Skipped; {@code liveUid} is the UID of the object found in the cluster, if any. */
  void skipped(String liveUid) {
    attached().state(index, State.SKIPPED, liveUid);
  }

  void failed() {
    attached().state(index, State.FAILED, null);
  }

  private PlanStore attached() {
    if (store == null) {
      throw new IllegalStateException(describe() + " is not in a plan");
    }
    return store;
  }

  /** "deployments.apps default/web", as used in warnings and failure messages. */
  public String describe() {
    return describe(path());
  }

  static String describe(ObjectPath path) {
    String type = path.group().isEmpty() ? path.resource() : path.resource() + "." + path.group();
    return type + " " + (path.isNamespaced() ? path.namespace() + "/" : "") + path.name();
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof PlannedObject that
        && store != null
        && store == that.store
        && index == that.index;
  }

  @Override
  public int hashCode() {
    return store == null ? System.identityHashCode(this) : index;
  }

  @Override
  public String toString() {
    return describe();
  }
}

package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.util.List;

/**
 * One object of the archive, as indexed: where it is, what it is, whom it names as owners, and in
 * which wave it is applied. The body is not kept; it is read again from the archive when the wave
 * runs. Small on purpose: a plan holds one per archived object.
 *
 * <p>{@link #state()} and {@link #liveUid()} are written by the worker that applies the object and
 * read by the workers of later waves (dependents), hence volatile.
 */
public final class PlannedObject {
  /** What happened to the object in this run. */
  public enum State {
    PENDING,
    APPLIED,
    SKIPPED,
    FAILED
  }

  private static final OwnerRef[] NO_OWNERS = new OwnerRef[0];

  private final ObjectPath path;
  private final String kind;
  private final OwnerRef[] owners;
  private int wave = -1;
  private volatile State state = State.PENDING;
  private volatile String liveUid;

  PlannedObject(ObjectPath path, String kind, List<OwnerRef> owners) {
    this.path = path;
    this.kind = kind;
    this.owners = owners.isEmpty() ? NO_OWNERS : owners.toArray(NO_OWNERS);
  }

  public ObjectPath path() {
    return path;
  }

  public String kind() {
    return kind;
  }

  /** The owner references as archived (identity only). */
  public List<OwnerRef> owners() {
    return List.of(owners);
  }

  public boolean isNamespaced() {
    return path.isNamespaced();
  }

  /** True for {@code customresourcedefinitions.apiextensions.k8s.io}, applied before all else. */
  public boolean isCrd() {
    return Crds.isCrd(path);
  }

  /** The wave the object is applied in; -1 before planning. */
  public int wave() {
    return wave;
  }

  void wave(int wave) {
    this.wave = wave;
  }

  public State state() {
    return state;
  }

  /** The UID of the object in the cluster once applied (or found live when skipped). */
  public String liveUid() {
    return liveUid;
  }

  void applied(String uid) {
    this.liveUid = uid;
    this.state = State.APPLIED;
  }

  void skipped() {
    this.state = State.SKIPPED;
  }

  void failed() {
    this.state = State.FAILED;
  }

  /** "deployments.apps default/web", as used in warnings and failure messages. */
  public String describe() {
    return describe(path);
  }

  static String describe(ObjectPath path) {
    String type = path.group().isEmpty() ? path.resource() : path.resource() + "." + path.group();
    return type + " " + (path.isNamespaced() ? path.namespace() + "/" : "") + path.name();
  }

  @Override
  public String toString() {
    return describe();
  }
}

package dev.backuprestore.restore;

import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.archive.ObjectPath;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-object part of a {@link RestorePlan}, off the Java heap: one fixed 64-byte record per
 * archived object, its name and owner references in a variable-length area, and two open-addressing
 * hash indexes (by path, and by group, kind, namespace and name for owner references), all in a
 * {@link SpillFile}. What repeats across objects (groups, versions, resources, kinds, namespaces,
 * owner API versions) is interned once on the heap, so the heap holds only as much as the archive
 * has distinct types and namespaces, whatever the number of objects.
 *
 * <p>Records are appended while the archive is indexed (one thread), then {@link #seal()} builds
 * the indexes. Afterwards the plan only changes in each record's wave (planning, one thread) and
 * state and live UID (workers, each its own objects; the state is written last with release
 * semantics so that a reader that sees APPLIED also sees the UID).
 */
final class PlanStore implements Closeable {
  private static final int RECORD = 64;
  private static final int TYPE = 0;
  private static final int KIND = 4;
  private static final int NAMESPACE = 8;
  private static final int NAME_HASH = 12;
  private static final int NAME_REF = 16;
  private static final int OWNERS_REF = 24;
  private static final int WAVE = 32;
  private static final int STATE = 36;
  private static final int UID_KIND = 40;
  private static final int UID_HIGH = 48;
  private static final int UID_LOW = 56;

  private static final int NO_UID = 0;
  private static final int UUID_UID = 1;
  private static final int OTHER_UID = 2;
  private static final PlannedObject.State[] STATES = PlannedObject.State.values();

  private final SpillFile file = new SpillFile();
  private final SpillFile.Area records = file.area();
  private final SpillFile.Area variable = file.area();
  private final SpillFile.Area byPath = file.area();
  private final SpillFile.Area byIdentity = file.area();
  private final Symbols symbols = new Symbols();
  private final Map<TypeKey, Integer> typeIds = new HashMap<>();
  private final List<TypeKey> types = new ArrayList<>();
  private final Map<Integer, String> otherUids = new ConcurrentHashMap<>();
  private int size;
  private int slots;

  /** A type directory's group, version and resource, as symbol ids. */
  private record TypeKey(int group, int version, int resource) {}

  int size() {
    return size;
  }

  /** Appends one object; returns its index. Only before {@link #seal()}. */
  int add(ObjectPath path, String kind, List<OwnerRef> owners) {
    int index = size++;
    long at = records.allocate(RECORD);
    int type = typeId(path, true);
    byte[] name = path.name().getBytes(StandardCharsets.UTF_8);
    long nameRef = variable.allocateAligned(4L + name.length, 4);
    variable.putInt(nameRef, name.length);
    variable.put(nameRef + 4, name);
    records.putInt(at + TYPE, type);
    records.putInt(at + KIND, symbols.intern(kind));
    records.putInt(
        at + NAMESPACE, path.namespace() == null ? -1 : symbols.intern(path.namespace()));
    records.putInt(at + NAME_HASH, path.name().hashCode());
    records.putLong(at + NAME_REF, nameRef);
    records.putLong(at + OWNERS_REF, owners.isEmpty() ? -1 : writeOwners(owners));
    records.putInt(at + WAVE, -1);
    return index;
  }

  private long writeOwners(List<OwnerRef> owners) {
    List<byte[]> names = new ArrayList<>(owners.size());
    long bytes = 4;
    for (OwnerRef owner : owners) {
      byte[] name = owner.name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      bytes += 12 + name.length + 3; // three ints, the name, padding to 4
    }
    long ref = variable.allocateAligned(bytes, 4);
    variable.putInt(ref, owners.size());
    long at = ref + 4;
    for (int i = 0; i < owners.size(); i++) {
      OwnerRef owner = owners.get(i);
      byte[] name = names.get(i);
      variable.putInt(at, symbols.intern(owner.apiVersion()));
      variable.putInt(at + 4, symbols.intern(owner.kind()));
      variable.putInt(at + 8, name.length);
      variable.put(at + 12, name);
      at += 12 + ((name.length + 3) & ~3);
    }
    return ref;
  }

  /**
   * Builds the indexes; the store takes no more objects.
   *
   * @throws ArchiveFormatException when two objects have the same path (a repeated entry)
   */
  void seal() {
    slots = Integer.highestOneBit(Math.max(16, size * 2 + 1)) << 1;
    long pathTable = byPath.allocate(4L * slots);
    long identityTable = byIdentity.allocate(4L * slots);
    for (int i = 0; i < size; i++) {
      long at = (long) i * RECORD;
      int nameHash = records.getInt(at + NAME_HASH);
      int namespace = records.getInt(at + NAMESPACE);
      insert(byPath, pathTable, pathHash(records.getInt(at + TYPE), namespace, nameHash), i, true);
      int group = types.get(records.getInt(at + TYPE)).group();
      insert(
          byIdentity,
          identityTable,
          identityHash(group, records.getInt(at + KIND), namespace, nameHash),
          i,
          false);
    }
  }

  /**
   * Linear probing; slots hold index + 1. The first object with a key wins, as in a putIfAbsent.
   */
  private void insert(SpillFile.Area table, long base, int hash, int index, boolean byPathKey) {
    int mask = slots - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int held = table.getInt(base + 4L * slot);
      if (held == 0) {
        table.putInt(base + 4L * slot, index + 1);
        return;
      }
      if (byPathKey && samePath(held - 1, index)) {
        throw new ArchiveFormatException(
            "archive entry '" + ArchiveJson.printable(path(index).path()) + "': duplicate entry");
      }
      if (!byPathKey && sameIdentity(held - 1, index)) {
        return;
      }
    }
  }

  private boolean samePath(int a, int b) {
    long ra = (long) a * RECORD;
    long rb = (long) b * RECORD;
    return records.getInt(ra + TYPE) == records.getInt(rb + TYPE) && sameNamespaceAndName(ra, rb);
  }

  private boolean sameIdentity(int a, int b) {
    long ra = (long) a * RECORD;
    long rb = (long) b * RECORD;
    return types.get(records.getInt(ra + TYPE)).group()
            == types.get(records.getInt(rb + TYPE)).group()
        && records.getInt(ra + KIND) == records.getInt(rb + KIND)
        && sameNamespaceAndName(ra, rb);
  }

  private boolean sameNamespaceAndName(long ra, long rb) {
    return records.getInt(ra + NAMESPACE) == records.getInt(rb + NAMESPACE)
        && records.getInt(ra + NAME_HASH) == records.getInt(rb + NAME_HASH)
        && Arrays.equals(nameBytes(ra), nameBytes(rb));
  }

  private byte[] nameBytes(long record) {
    long ref = records.getLong(record + NAME_REF);
    return variable.get(ref + 4, variable.getInt(ref));
  }

  private static int pathHash(int type, int namespace, int nameHash) {
    return mix((type * 31 + namespace) * 31 + nameHash);
  }

  private static int identityHash(int group, int kind, int namespace, int nameHash) {
    return mix(((group * 31 + kind) * 31 + namespace) * 31 + nameHash);
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** The index of the object at {@code path}, or -1. */
  int find(ObjectPath path) {
    int type = typeId(path, false);
    int namespace = path.namespace() == null ? -1 : symbols.id(path.namespace());
    if (type < 0 || (path.namespace() != null && namespace < 0)) {
      return -1;
    }
    byte[] name = path.name().getBytes(StandardCharsets.UTF_8);
    int hash = pathHash(type, namespace, path.name().hashCode());
    int mask = slots - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int held = byPath.getInt(4L * slot);
      if (held == 0) {
        return -1;
      }
      long at = (long) (held - 1) * RECORD;
      if (records.getInt(at + TYPE) == type && matches(at, namespace, name)) {
        return held - 1;
      }
    }
  }

  /**
   * The index of the first object with this group, kind, namespace (null: none) and name, or -1.
   */
  int findIdentity(String group, String kind, String namespace, String name) {
    int groupId = symbols.id(group);
    int kindId = symbols.id(kind);
    int namespaceId = namespace == null ? -1 : symbols.id(namespace);
    if (groupId < 0 || kindId < 0 || (namespace != null && namespaceId < 0)) {
      return -1;
    }
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    int hash = identityHash(groupId, kindId, namespaceId, name.hashCode());
    int mask = slots - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int held = byIdentity.getInt(4L * slot);
      if (held == 0) {
        return -1;
      }
      long at = (long) (held - 1) * RECORD;
      if (types.get(records.getInt(at + TYPE)).group() == groupId
          && records.getInt(at + KIND) == kindId
          && matches(at, namespaceId, nameBytes)) {
        return held - 1;
      }
    }
  }

  private boolean matches(long record, int namespace, byte[] name) {
    if (records.getInt(record + NAMESPACE) != namespace) {
      return false;
    }
    long ref = records.getLong(record + NAME_REF);
    return variable.getInt(ref) == name.length && variable.equalsAt(ref + 4, name);
  }

  private int typeId(ObjectPath path, boolean create) {
    if (create) {
      TypeKey key =
          new TypeKey(
              symbols.intern(path.group()),
              symbols.intern(path.version()),
              symbols.intern(path.resource()));
      return typeIds.computeIfAbsent(
          key,
          k -> {
            types.add(k);
            return types.size() - 1;
          });
    }
    int group = symbols.id(path.group());
    int version = symbols.id(path.version());
    int resource = symbols.id(path.resource());
    if (group < 0 || version < 0 || resource < 0) {
      return -1;
    }
    Integer id = typeIds.get(new TypeKey(group, version, resource));
    return id == null ? -1 : id;
  }

  // Reading one object.

  private static long record(int index) {
    return (long) index * RECORD;
  }

  ObjectPath path(int index) {
    long at = record(index);
    TypeKey type = types.get(records.getInt(at + TYPE));
    int namespace = records.getInt(at + NAMESPACE);
    return new ObjectPath(
        symbols.get(type.group()),
        symbols.get(type.version()),
        symbols.get(type.resource()),
        namespace < 0 ? null : symbols.get(namespace),
        new String(nameBytes(at), StandardCharsets.UTF_8));
  }

  /** The type's id: equal ids, equal group, version and resource. */
  int type(int index) {
    return records.getInt(record(index) + TYPE);
  }

  /** Distinct types so far; type ids are 0 to this minus one. */
  int typeCount() {
    return types.size();
  }

  String group(int index) {
    return symbols.get(types.get(type(index)).group());
  }

  String resource(int index) {
    return symbols.get(types.get(type(index)).resource());
  }

  String kind(int index) {
    return symbols.get(records.getInt(record(index) + KIND));
  }

  boolean isNamespaced(int index) {
    return records.getInt(record(index) + NAMESPACE) >= 0;
  }

  String namespace(int index) {
    int namespace = records.getInt(record(index) + NAMESPACE);
    return namespace < 0 ? null : symbols.get(namespace);
  }

  List<OwnerRef> owners(int index) {
    long ref = records.getLong(record(index) + OWNERS_REF);
    if (ref < 0) {
      return List.of();
    }
    int count = variable.getInt(ref);
    List<OwnerRef> owners = new ArrayList<>(count);
    long at = ref + 4;
    for (int i = 0; i < count; i++) {
      int length = variable.getInt(at + 8);
      owners.add(
          new OwnerRef(
              symbols.get(variable.getInt(at)),
              symbols.get(variable.getInt(at + 4)),
              new String(variable.get(at + 12, length), StandardCharsets.UTF_8)));
      at += 12 + ((length + 3) & ~3);
    }
    return owners;
  }

  int wave(int index) {
    return records.getInt(record(index) + WAVE);
  }

  void wave(int index, int wave) {
    records.putInt(record(index) + WAVE, wave);
  }

  PlannedObject.State state(int index) {
    return STATES[records.getIntAcquire(record(index) + STATE)];
  }

  /** Sets the state; with a UID (applied, or found live), the UID first. */
  void state(int index, PlannedObject.State state, String uid) {
    long at = record(index);
    if (uid != null) {
      UUID parsed = asUuid(uid);
      if (parsed != null) {
        records.putLong(at + UID_HIGH, parsed.getMostSignificantBits());
        records.putLong(at + UID_LOW, parsed.getLeastSignificantBits());
        records.putInt(at + UID_KIND, UUID_UID);
      } else {
        otherUids.put(index, uid);
        records.putInt(at + UID_KIND, OTHER_UID);
      }
    }
    records.putIntRelease(at + STATE, state.ordinal());
  }

  String liveUid(int index) {
    long at = record(index);
    records.getIntAcquire(at + STATE); // pairs with the release in state(...)
    return switch (records.getInt(at + UID_KIND)) {
      case UUID_UID ->
          new UUID(records.getLong(at + UID_HIGH), records.getLong(at + UID_LOW)).toString();
      case OTHER_UID -> otherUids.get(index);
      default -> null;
    };
  }

  /** Kubernetes UIDs are UUIDs in their canonical form; anything else is kept as a string. */
  private static UUID asUuid(String uid) {
    if (uid.length() != 36) {
      return null;
    }
    try {
      UUID uuid = UUID.fromString(uid);
      return uuid.toString().equals(uid) ? uuid : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Bytes of the scratch file (records, names, owners, indexes). */
  long spilledBytes() {
    return file.mappedBytes();
  }

  @Override
  public void close() {
    file.close();
  }

  /** Interned strings: the few distinct groups, versions, resources, kinds and namespaces. */
  private static final class Symbols {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> values = new ArrayList<>();

    int intern(String value) {
      Integer id = ids.get(value);
      if (id == null) {
        id = values.size();
        values.add(value);
        ids.put(value, id);
      }
      return id;
    }

    /** The id of a known string, -1 otherwise; never adds (safe for concurrent readers). */
    int id(String value) {
      Integer id = ids.get(value);
      return id == null ? -1 : id;
    }

    String get(int id) {
      return values.get(id);
    }
  }
}

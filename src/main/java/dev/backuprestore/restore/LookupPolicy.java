package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Decides, per resource type and run, whether {@link ObjectApplier} writes first or reads first.
 * Into an empty or partly empty cluster most objects are absent, and a create that succeeds needs
 * no read at all: one request per object instead of two. When the object exists the create fails
 * with 409 and the applier reads it and goes on exactly as if it had read first (the update path),
 * at the price of one extra request. So a type whose objects mostly exist (a restore in place)
 * switches to read-first: once more than half of its first writes, after at least {@value
 * #MIN_WRITES} of them, found the object already there.
 */
final class LookupPolicy {
  static final int MIN_WRITES = 8;

  /** Per type: [0] writes made without reading first, [1] of them that found the object. */
  private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();

  /** True when objects of this type should be read before they are written. */
  boolean readFirst(ObjectPath path) {
    AtomicLongArray count = counts.get(key(path));
    if (count == null) {
      return false;
    }
    long writes = count.get(0);
    long found = count.get(1);
    return writes >= MIN_WRITES && found * 2 > writes;
  }

  /** One write without reading first; {@code existed}: the object was there already. */
  void wroteFirst(ObjectPath path, boolean existed) {
    AtomicLongArray count = counts.computeIfAbsent(key(path), k -> new AtomicLongArray(2));
    count.incrementAndGet(0);
    if (existed) {
      count.incrementAndGet(1);
    }
  }

  private static String key(ObjectPath path) {
    return path.resource() + "." + path.group();
  }
}

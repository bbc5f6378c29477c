package dev.backuprestore.etcd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which snapshots retention deletes: among the names that match the <em>recurring</em> grammar
 * exactly ({@code <RFC3339 UTC>_etcd}, plain or safe), keep the newest {@code keep} by the time in
 * the name and delete the rest. One-time and given names are never rotated (RKE does the same).
 * Failed snapshots cannot count: they never become a complete file or object (a partial write is a
 * dot-file or an uncommitted multipart upload). Local copies are counted per node directory and S3
 * objects per folder, each by its own call.
 */
public final class SnapshotRetention {
  private SnapshotRetention() {}

  /**
   * @param names snapshot names or zip file names found in one location
   * @param keep how many recurring snapshots to keep; 0 or less keeps everything
   * @return the snapshot names (without {@code .zip}) to delete, oldest first
   */
  public static List<String> toDelete(List<String> names, int keep) {
    if (keep <= 0) {
      return List.of();
    }
    record Timed(String name, Instant time) {}
    List<Timed> recurring = new ArrayList<>();
    for (String name : names) {
      Optional<SnapshotNames.ParsedName> parsed = SnapshotNames.parse(name);
      if (parsed.isPresent() && parsed.get().kind() == SnapshotNames.Kind.RECURRING) {
        recurring.add(new Timed(parsed.get().name(), parsed.get().time().orElseThrow()));
      }
    }
    recurring.sort(Comparator.comparing(Timed::time).thenComparing(Timed::name).reversed());
    List<String> delete = new ArrayList<>();
    for (int i = recurring.size() - 1; i >= keep; i--) {
      delete.add(recurring.get(i).name());
    }
    return delete;
  }
}

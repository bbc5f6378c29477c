package dev.backuprestore.backup;

import dev.backuprestore.archive.BackupFileName;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.StoredObject;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rancher's retention (docs/rancher-compat.md#retention): after a successful recurring backup, keep
 * the newest {@code retentionCount} archives of this Backup and of the same encryption kind (the
 * new one included), newest by mtime or LastModified, and delete the rest. The first failed delete
 * stops.
 */
public class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  /** Returns how many archives were deleted. */
  public int apply(
      BackupStore store, String backupName, String clusterId, boolean encrypted, long keep) {
    BackupFileName.Kind kind =
        "S3".equals(store.locationType()) ? BackupFileName.Kind.S3 : BackupFileName.Kind.LOCAL;
    List<StoredObject> archives =
        store.list().stream()
            .filter(
                o ->
                    BackupFileName.isRetentionCandidate(
                        o.name(), backupName, clusterId, encrypted, kind))
            .sorted(Comparator.comparing(StoredObject::lastModified).reversed())
            .toList();
    int deleted = 0;
    for (int i = (int) Math.min(keep, archives.size()); i < archives.size(); i++) {
      String name = archives.get(i).name();
      store.delete(name);
      LOG.info("Backup {}: retention deleted {}", backupName, name);
      deleted++;
    }
    return deleted;
  }
}

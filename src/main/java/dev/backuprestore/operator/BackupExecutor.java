package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ResourceSet;
import java.time.ZonedDateTime;

/** Takes one backup: collect, encrypt, archive, store and apply retention. */
public interface BackupExecutor {
  BackupOutcome execute(Backup backup, ResourceSet resourceSet, ZonedDateTime startedAt);
}

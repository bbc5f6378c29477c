package dev.backuprestore.backup;

import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.storage.BackupStore;
import java.time.ZonedDateTime;

/**
 * Everything one backup needs, resolved by the caller from the Backup resource.
 *
 * @param backupName the Backup's name (first part of the file name)
 * @param clusterId the kube-system Namespace UID (second part of the file name)
 * @param resourceSet what to collect; also written to {@code filters/filters.json}
 * @param cipher per-object encryption, {@link ObjectCipher#none()} without a config
 * @param encrypted whether an encryption config is named (the file name then ends in {@code .enc},
 *     as in Rancher, even if no object matched its rules)
 * @param store where the archive goes
 * @param startedAt the time stamped into the file name
 */
public record BackupJob(
    String backupName,
    String clusterId,
    ResourceSet resourceSet,
    ObjectCipher cipher,
    boolean encrypted,
    BackupStore store,
    ZonedDateTime startedAt) {}

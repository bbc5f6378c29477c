/**
 * Where backup archives are stored: the {@link dev.backuprestore.storage.BackupStore} interface
 * with an S3 implementation ({@link dev.backuprestore.storage.S3Store}) and a local-directory one
 * ({@link dev.backuprestore.storage.LocalDirectoryStore}, the chart's PVC).
 *
 * <p>Archives stream straight into storage: an {@link dev.backuprestore.storage.Upload} becomes
 * visible only when committed, so a failed or aborted backup never leaves a partial archive that a
 * later restore or retention run could pick up.
 */
package dev.backuprestore.storage;

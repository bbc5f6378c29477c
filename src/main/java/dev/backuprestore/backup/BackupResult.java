package dev.backuprestore.backup;

/**
 * What a backup wrote.
 *
 * @param fileName the archive's name in the store
 * @param objects objects written
 * @param archiveBytes compressed bytes written to the store
 */
public record BackupResult(String fileName, long objects, long archiveBytes) {}

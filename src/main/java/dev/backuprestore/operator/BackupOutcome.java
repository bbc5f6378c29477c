package dev.backuprestore.operator;

/**
 * What one backup produced.
 *
 * @param fileName archive file name without folder
 * @param storageLocation "S3" or "PV", as in status.storageLocation
 * @param objects number of objects written
 * @param bytes bytes of the compressed archive
 * @param deletedByRetention archives removed by the retention policy
 */
public record BackupOutcome(
    String fileName, String storageLocation, long objects, long bytes, int deletedByRetention) {

  /** The status summary: counts that Rancher's CRD declares but never writes. */
  public String summary() {
    return "objects=" + objects + " bytes=" + bytes + " retentionDeleted=" + deletedByRetention;
  }
}

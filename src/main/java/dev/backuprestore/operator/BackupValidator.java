package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.schedule.CronSchedule;

/** Checks a Backup's spec before any work; every failure here is permanent (Stalled). */
final class BackupValidator {

  /** Returns the parsed schedule of a recurring Backup, or null for a one-time Backup. */
  CronSchedule validate(Backup backup) {
    BackupSpec spec = backup.getSpec();
    if (spec == null) {
      throw new ValidationException("spec is missing");
    }
    if (spec.getResourceSetName() == null || spec.getResourceSetName().isBlank()) {
      throw new ValidationException("spec.resourceSetName is empty: name a ResourceSet");
    }
    StorageLocations.validate(spec.getStorageLocation(), "spec.storageLocation");
    return spec.isRecurring() ? CronSchedule.parse(spec.getSchedule()) : null;
  }

  /** Shared with the Restore validation. */
  static final class StorageLocations {
    private StorageLocations() {}

    static void validate(StorageLocation location, String field) {
      if (location == null) {
        return;
      }
      if (location.getS3() == null) {
        // Rancher marks such a Backup Completed without writing anything
        // (docs/rancher-compat.md#diff-empty-storage-location).
        throw new ValidationException(
            field
                + " is set but has no s3 member: set "
                + field
                + ".s3, or remove "
                + field
                + " to use the operator's default location");
      }
      if (blank(location.getS3().getBucketName())) {
        throw new ValidationException(field + ".s3.bucketName is empty");
      }
      String endpoint = location.getS3().getEndpoint();
      if (endpoint != null && endpoint.contains("://")) {
        throw new ValidationException(
            field
                + ".s3.endpoint must not contain a scheme: use a host or host:port, e.g. s3.us-west-2.amazonaws.com");
      }
    }

    private static boolean blank(String value) {
      return value == null || value.isBlank();
    }
  }
}

package dev.backuprestore.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.api.v1.BackupStatus;
import dev.backuprestore.api.v1.RestoreStatus;

/** Deep copies of status objects, so that the cached resource is never mutated. */
final class StatusCopies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusCopies() {}

  static BackupStatus copy(BackupStatus status) {
    return status == null ? new BackupStatus() : MAPPER.convertValue(status, BackupStatus.class);
  }

  static RestoreStatus copy(RestoreStatus status) {
    return status == null ? new RestoreStatus() : MAPPER.convertValue(status, RestoreStatus.class);
  }
}

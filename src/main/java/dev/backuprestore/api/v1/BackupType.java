package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a Backup runs once or on a schedule; the JSON values are Rancher's. */
public enum BackupType {
  @JsonProperty("One-time")
  ONE_TIME,
  @JsonProperty("Recurring")
  RECURRING
}

package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;

/** What to back up, where to, how often and how many archives to keep. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input =
        """
        properties:
          retentionCount: {format: int64}
          schedule:
            example: |-
              Descriptors: '@midnight'
              Standard crontab specs: 0 0 * * *
        """)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BackupSpec {
  @Required
  @JsonPropertyDescription("Name of the cluster-scoped ResourceSet that selects what to back up.")
  private String resourceSetName;

  @Nullable
  @JsonPropertyDescription(
      "Where to store the archive; when omitted the operator's default location is used. Set"
          + " without s3 it is an error.")
  private StorageLocation storageLocation;

  @JsonPropertyDescription(
      "Secret in the operator namespace whose key encryption-provider-config.yaml holds the"
          + " EncryptionConfiguration used to encrypt the backed-up objects.")
  private String encryptionConfigSecretName;

  @JsonPropertyDescription(
      "Cron schedule for recurring backups: 5 fields (0 0 * * *) or a descriptor (@midnight,"
          + " @every 1h), optionally after CRON_TZ=<zone>; empty means a one-time backup.")
  private String schedule;

  @Min(1)
  @JsonPropertyDescription(
      "Number of archives of a recurring backup to keep; 10 when unset. One-time backups keep"
          + " their single archive.")
  private Long retentionCount;

  public String getResourceSetName() {
    return resourceSetName;
  }

  public void setResourceSetName(String resourceSetName) {
    this.resourceSetName = resourceSetName;
  }

  public StorageLocation getStorageLocation() {
    return storageLocation;
  }

  public void setStorageLocation(StorageLocation storageLocation) {
    this.storageLocation = storageLocation;
  }

  public String getEncryptionConfigSecretName() {
    return encryptionConfigSecretName;
  }

  public void setEncryptionConfigSecretName(String encryptionConfigSecretName) {
    this.encryptionConfigSecretName = encryptionConfigSecretName;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  /** A Backup with a non-blank schedule is recurring; otherwise it runs once per generation. */
  @JsonIgnore
  public boolean isRecurring() {
    return schedule != null && !schedule.isBlank();
  }

  public Long getRetentionCount() {
    return retentionCount;
  }

  public void setRetentionCount(Long retentionCount) {
    this.retentionCount = retentionCount;
  }
}

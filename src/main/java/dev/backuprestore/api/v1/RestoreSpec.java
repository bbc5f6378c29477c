package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;

/** Which archive to restore from where, and how to treat objects the archive does not have. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RestoreSpec {
  @Required
  @JsonPropertyDescription(
      "File name of the archive, without the folder, e.g. name-uid-2024-01-01T00-00-00Z.tar.gz.")
  private String backupFilename;

  @Nullable
  @JsonPropertyDescription(
      "Where the archive is stored; when omitted (or set without s3) the operator's default"
          + " location is used.")
  private StorageLocation storageLocation;

  @Nullable
  @Default("true")
  @JsonPropertyDescription(
      "Delete objects that the backup's ResourceSet selects but the archive does not contain;"
          + " true when unset. The operator's own objects are never pruned.")
  private Boolean prune;

  @Max(10)
  @JsonPropertyDescription(
      "Seconds to wait between deleting pruned objects and removing their finalizers; 0 when"
          + " unset.")
  private Integer deleteTimeoutSeconds;

  @JsonPropertyDescription(
      "Secret in the operator namespace whose key encryption-provider-config.yaml holds the"
          + " EncryptionConfiguration the archive was encrypted with.")
  private String encryptionConfigSecretName;

  @JsonPropertyDescription(
      "Carry on when applying CRDs, cluster-scoped or namespaced objects fails; download,"
          + " decryption and prune errors still fail the restore.")
  private Boolean ignoreErrors;

  public String getBackupFilename() {
    return backupFilename;
  }

  public void setBackupFilename(String backupFilename) {
    this.backupFilename = backupFilename;
  }

  public StorageLocation getStorageLocation() {
    return storageLocation;
  }

  public void setStorageLocation(StorageLocation storageLocation) {
    this.storageLocation = storageLocation;
  }

  public Boolean getPrune() {
    return prune;
  }

  public void setPrune(Boolean prune) {
    this.prune = prune;
  }

  /** Like Rancher's {@code GetPrune()}: unset means prune. */
  @JsonIgnore
  public boolean isPruneEffective() {
    return prune == null || prune;
  }

  public Integer getDeleteTimeoutSeconds() {
    return deleteTimeoutSeconds;
  }

  public void setDeleteTimeoutSeconds(Integer deleteTimeoutSeconds) {
    this.deleteTimeoutSeconds = deleteTimeoutSeconds;
  }

  /** Unset means no wait between the two prune passes. */
  @JsonIgnore
  public int getDeleteTimeoutSecondsEffective() {
    return deleteTimeoutSeconds == null ? 0 : deleteTimeoutSeconds;
  }

  public String getEncryptionConfigSecretName() {
    return encryptionConfigSecretName;
  }

  public void setEncryptionConfigSecretName(String encryptionConfigSecretName) {
    this.encryptionConfigSecretName = encryptionConfigSecretName;
  }

  public Boolean getIgnoreErrors() {
    return ignoreErrors;
  }

  public void setIgnoreErrors(Boolean ignoreErrors) {
    this.ignoreErrors = ignoreErrors;
  }

  @JsonIgnore
  public boolean isIgnoreErrorsEffective() {
    return Boolean.TRUE.equals(ignoreErrors);
  }
}

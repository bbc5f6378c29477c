package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.BackupType;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invalid Backups end in status exactly as Rancher Backups and our differences say
 * (docs/rancher-compat.md#backup-status, #backup-lifecycle, #diff-empty-storage-location,
 * #diff-permanent-errors).
 */
class BackupValidationIT {
  private static OperatorHarness operator;
  private static KubernetesClient client;

  @BeforeAll
  static void startOperator() throws Exception {
    operator =
        OperatorHarness.start(
            OperatorHarness.devConfig(
                "validation-system", Files.createTempDirectory("validation-backups"), false));
    client = operator.client();
  }

  @AfterAll
  static void stopOperator() {
    client.resources(Backup.class).withLabel("test", "validation").delete();
    operator.close();
  }

  @Test
  void aMissingResourceSetIsAnErrorThatKeepsRetrying() {
    create(backup("val-missing-rs", "no-such-set", null, null));

    Backup backup = awaitCondition("val-missing-rs", Conditions.RECONCILING);
    Condition reconciling = find(backup, Conditions.RECONCILING);
    assertThat(reconciling.getStatus()).isEqualTo("False");
    assertThat(reconciling.getReason()).isEqualTo("Error");
    assertThat(reconciling.getMessage()).isEqualTo("ResourceSet no-such-set not found");
    Condition ready = find(backup, Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getMessage()).isEqualTo("Retrying");
    assertThat(find(backup, Conditions.STALLED)).isNull();
    assertThat(backup.getStatus().getBackupType()).isEqualTo(BackupType.ONE_TIME);
    assertThat(warningEvents("val-missing-rs"))
        .anyMatch(e -> e.getMessage().contains("no-such-set"));

    // Transient: once the ResourceSet exists, the retry succeeds.
    createResourceSet("no-such-set");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "Completed".equals(readyMessage("val-missing-rs")));
  }

  @Test
  void anInvalidScheduleStallsWithRancherMessage() {
    createResourceSet("val-set");
    create(backup("val-bad-cron", "val-set", "every tuesday", null));

    Backup backup = awaitCondition("val-bad-cron", Conditions.STALLED);
    assertThat(find(backup, Conditions.STALLED).getStatus()).isEqualTo("True");
    Condition reconciling = find(backup, Conditions.RECONCILING);
    assertThat(reconciling.getStatus()).isEqualTo("False");
    assertThat(reconciling.getReason()).isEqualTo("Error");
    assertThat(reconciling.getMessage())
        .startsWith("error parsing invalid cron string for schedule: ");
    assertThat(find(backup, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(backup.getStatus().getBackupType()).isEqualTo(BackupType.RECURRING);
    assertThat(warningEvents("val-bad-cron")).anyMatch(e -> e.getReason().equals("BackupStalled"));
  }

  @Test
  void anEmptyStorageLocationIsRejectedInsteadOfWritingNothing() {
    createResourceSet("val-set");
    create(backup("val-empty-location", "val-set", null, new StorageLocation()));

    Backup backup = awaitCondition("val-empty-location", Conditions.STALLED);
    assertThat(find(backup, Conditions.RECONCILING).getMessage())
        .isEqualTo(
            "spec.storageLocation is set but has no s3 member: set spec.storageLocation.s3, or"
                + " remove spec.storageLocation to use the operator's default location");
    assertThat(backup.getStatus().getFilename()).isNull();
  }

  private static Backup backup(
      String name, String resourceSet, String schedule, StorageLocation location) {
    Backup backup = new Backup();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(name);
    metadata.setLabels(java.util.Map.of("test", "validation"));
    backup.setMetadata(metadata);
    BackupSpec spec = new BackupSpec();
    spec.setResourceSetName(resourceSet);
    spec.setSchedule(schedule);
    spec.setStorageLocation(location);
    backup.setSpec(spec);
    return backup;
  }

  private static void create(Backup backup) {
    client.resources(Backup.class).resource(backup).create();
  }

  private static void createResourceSet(String name) {
    ResourceSet set = new ResourceSet();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(name);
    set.setMetadata(metadata);
    ResourceSelector selector = new ResourceSelector();
    selector.setApiVersion("v1");
    selector.setKinds(List.of("configmaps"));
    selector.setNamespaces(List.of("validation-system"));
    set.setResourceSelectors(List.of(selector));
    client.resources(ResourceSet.class).resource(set).createOr(existing -> existing.update());
  }

  private static Backup awaitCondition(String name, String type) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> find(client.resources(Backup.class).withName(name).get(), type) != null);
    return client.resources(Backup.class).withName(name).get();
  }

  private static String readyMessage(String name) {
    Condition ready = find(client.resources(Backup.class).withName(name).get(), Conditions.READY);
    return ready == null ? null : ready.getMessage();
  }

  private static Condition find(Backup backup, String type) {
    return backup == null || backup.getStatus() == null
        ? null
        : Conditions.find(backup.getStatus().getConditions(), type);
  }

  private static List<Event> warningEvents(String name) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }
}

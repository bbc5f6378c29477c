package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.SampleApplication;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Restore at a time (docs/rancher-compat.md#restore-lease, #diff-permanent-errors): the Lease
 * {@code restore-controller} in the operator namespace names its holder as {@code <name>:<uid>}; a
 * stale Lease is removed at start-up; a Restore that finds the Lease held by another, unfinished
 * Restore reports it and retries; once the holder is deleted, the Lease is taken over and the
 * waiting Restore completes.
 */
class RestoreLeaseIT {
  private static final String SYSTEM = "rit-lease-system";

  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient crs;
  private static Path backups;
  private static Lease leaseAfterStart;

  @BeforeAll
  static void startOperatorOverAStaleLease() throws Exception {
    KubernetesClient admin = LocalControlPlane.shared().client();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM).endMetadata().build())
        .serverSideApply();
    admin.leases().inNamespace(SYSTEM).resource(lease("restore-of-a-dead-operator:0000")).create();

    backups = Files.createTempDirectory("rit-lease-backups");
    operator = OperatorHarness.start(OperatorHarness.devConfig(SYSTEM, backups, false));
    client = operator.client();
    crs = new BackupRestoreClient(client, "restore-lease");
    leaseAfterStart = crs.restoreLease(SYSTEM);
  }

  @AfterAll
  static void stopOperator() {
    if (crs != null) {
      crs.deleteAll();
    }
    if (operator != null) {
      operator.close();
    }
    TestFiles.deleteRecursively(backups);
  }

  @Test
  void aStaleLeaseIsRemovedAtStartup() {
    assertThat(leaseAfterStart).isNull();
  }

  @Test
  void waitsForTheHolderThenTakesTheLeaseOverWhenTheHolderIsDeleted() {
    SampleApplication app = new SampleApplication(client, "rit-lease-app").create();
    crs.resourceSet("rit-lease", app.selectors());
    String file = crs.backUp("rit-lease", "rit-lease", spec -> {});
    app.deleteObjects();

    // The holder: an unfinished Restore. Its invalid file name stalls it before it touches the
    // Lease, so the Lease made below stays as it is (a failing Restore that got the Lease would
    // release it).
    crs.createRestore("rit-lease-holder", "not/a-file-name.tar.gz", spec -> {});
    Restore holder = crs.awaitStalled("rit-lease-holder");
    String holderIdentity = "rit-lease-holder:" + holder.getMetadata().getUid();
    client.leases().inNamespace(SYSTEM).resource(lease(holderIdentity)).create();

    crs.createRestore("rit-lease-waiting", file, spec -> {});
    Restore waiting =
        crs.awaitReconcilingError(
            "rit-lease-waiting", "restore " + holderIdentity + " is in progress");

    Condition reconciling = BackupRestoreClient.condition(waiting, Conditions.RECONCILING);
    assertThat(reconciling.getStatus()).isEqualTo("False");
    assertThat(reconciling.getReason()).isEqualTo("Error");
    assertThat(reconciling.getMessage()).isEqualTo("restore " + holderIdentity + " is in progress");
    Condition ready = BackupRestoreClient.condition(waiting, Conditions.READY);
    assertThat(ready.getMessage()).isEqualTo("Retrying");
    assertThat(ready.getStatus()).isNotEqualTo("True");
    assertThat(BackupRestoreClient.condition(waiting, Conditions.STALLED)).isNull();
    assertThat(waiting.getStatus().getRestoreCompletionTs()).isNull();
    assertThat(crs.awaitEvents(waiting, "Warning"))
        .anySatisfy(
            event -> {
              assertThat(event.getReason()).isEqualTo("RestoreFailed");
              assertThat(event.getMessage()).isEqualTo(reconciling.getMessage());
            });
    assertThat(crs.restoreLease(SYSTEM).getSpec().getHolderIdentity()).isEqualTo(holderIdentity);
    app.assertDeleted();

    client.resources(Restore.class).withName("rit-lease-holder").delete();

    Restore completed = crs.awaitCompleted("rit-lease-waiting");
    assertThat(completed.getStatus().getBackupSource()).isEqualTo("PV");
    app.assertRestored();
    crs.awaitLeaseReleased(SYSTEM);
  }

  private static Lease lease(String holderIdentity) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(BackupRestoreClient.RESTORE_LEASE)
        .withNamespace(SYSTEM)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holderIdentity)
        .endSpec()
        .build();
  }
}

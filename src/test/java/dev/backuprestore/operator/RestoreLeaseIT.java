package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorExtension;
import dev.backuprestore.testing.SampleApplication;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One Restore at a time (docs/rancher-compat.md#restore-lease): the Lease {@code
 * restore-controller} in the operator namespace names its holder as {@code <name>:<uid>}; a stale
 * Lease (its holder gone or finished, Stalled included) is not deleted at start-up but taken over
 * by the next Restore. That a Restore waits for an unfinished holder is in {@code
 * RestoreLeaseTest}.
 */
class RestoreLeaseIT {
  private static final String SYSTEM = "rit-lease-system";

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.inProcess(SYSTEM);

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

    backups = OPERATOR.localDirectory();
    client = OPERATOR.client();
    crs = new BackupRestoreClient(client, "restore-lease");
    leaseAfterStart = crs.restoreLease(SYSTEM);
  }

  @AfterAll
  static void stopOperator() {
    if (crs != null) {
      crs.deleteAll();
    }
  }

  @Test
  void aStaleLeaseIsKeptAtStartupAndTakenOverByTheNextRestore() {
    // With several replicas, deleting the Lease at start-up could let two restores run: it stays.
    assertThat(leaseAfterStart.getSpec().getHolderIdentity())
        .isEqualTo("restore-of-a-dead-operator:0000");

    SampleApplication app = new SampleApplication(client, "rit-lease-app").create();
    crs.resourceSet("rit-lease", app.selectors());
    String file = crs.backUp("rit-lease", "rit-lease", spec -> {});
    app.deleteObjects();

    // A Stalled Restore is finished: a Lease it still names is stale too.
    crs.createRestore("rit-lease-holder", "not/a-file-name.tar.gz", spec -> {});
    Restore holder = crs.awaitStalled("rit-lease-holder");
    String holderIdentity = "rit-lease-holder:" + holder.getMetadata().getUid();
    client
        .leases()
        .inNamespace(SYSTEM)
        .withName(BackupRestoreClient.RESTORE_LEASE)
        .edit(
            lease -> {
              lease.getSpec().setHolderIdentity(holderIdentity);
              return lease;
            });

    crs.createRestore("rit-lease-next", file, spec -> {});
    Restore completed = crs.awaitCompleted("rit-lease-next");
    assertThat(completed.getStatus().getBackupSource()).isEqualTo("PV");
    assertThat(crs.events(completed, "Warning")).isEmpty();
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

package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.SampleApplication;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bad archive in the default directory (garbage or a truncated copy of a real backup, under a
 * .tar.gz name) and a missing file stall the Restore with a message that names the problem, a
 * Warning Event, the Lease released and no change in the cluster
 * (docs/rancher-compat.md#diff-specific-errors, #diff-permanent-errors, #diff-filters-path).
 */
class RestoreCorruptArchiveIT {
  private static final String SYSTEM = "rit-corrupt-system";

  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupRestoreClient crs;
  private static Path backups;
  private static SampleApplication app;
  private static byte[] archive;

  @BeforeAll
  static void takeABackupThenDeleteTheApplication() throws Exception {
    backups = Files.createTempDirectory("rit-corrupt-backups");
    operator = OperatorHarness.start(OperatorHarness.devConfig(SYSTEM, backups, false));
    client = operator.client();
    crs = new BackupRestoreClient(client, "restore-corrupt");
    app = new SampleApplication(client, "rit-corrupt-app").create();
    crs.resourceSet("rit-corrupt", app.selectors());
    String file = crs.backUp("rit-corrupt", "rit-corrupt", spec -> {});
    archive = Files.readAllBytes(backups.resolve(file));
    // Any restore that applied something would bring these back.
    app.deleteObjects();
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
  void garbageUnderATarGzNameStalls() throws IOException {
    Files.write(
        backups.resolve("rit-garbage.tar.gz"),
        "this is not a gzip stream\n".repeat(40).getBytes(StandardCharsets.US_ASCII));

    String message = restoreAndExpectStall("rit-corrupt-garbage", "rit-garbage.tar.gz");

    assertThat(message).containsIgnoringCase("gzip");
  }

  @Test
  void aTruncatedCopyOfARealBackupStalls() throws IOException {
    Files.write(
        backups.resolve("rit-truncated.tar.gz"), Arrays.copyOf(archive, archive.length / 2));

    String message = restoreAndExpectStall("rit-corrupt-truncated", "rit-truncated.tar.gz");

    assertThat(message).containsIgnoringCase("truncated");
  }

  @Test
  void aMissingFileStallsNamingFileAndDirectory() {
    String message = restoreAndExpectStall("rit-corrupt-missing", "rit-missing.tar.gz");

    assertThat(message)
        .isEqualTo("backup file rit-missing.tar.gz not found in directory " + backups);
  }

  /** Restores {@code file}, checks the stalled status and returns the error message. */
  private static String restoreAndExpectStall(String name, String file) {
    crs.createRestore(name, file, spec -> {});

    Restore restore = crs.awaitStalled(name);
    Condition reconciling = BackupRestoreClient.condition(restore, Conditions.RECONCILING);
    assertThat(reconciling.getStatus()).isEqualTo("False");
    assertThat(reconciling.getReason()).isEqualTo("Error");
    Condition stalled = BackupRestoreClient.condition(restore, Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getMessage()).isEqualTo(reconciling.getMessage());
    assertThat(restore.getStatus().getRestoreCompletionTs()).isNull();
    assertThat(restore.getStatus().getBackupSource()).isNull();
    assertThat(crs.awaitEvents(restore, "Warning"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getReason()).isEqualTo("RestoreStalled");
              assertThat(event.getMessage()).isEqualTo(reconciling.getMessage());
            });
    app.assertDeleted();
    crs.awaitLeaseReleased(SYSTEM);
    return reconciling.getMessage();
  }
}

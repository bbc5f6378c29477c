package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.BackupStatus;
import dev.backuprestore.api.v1.BackupType;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreStatus;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.kube.ValidationException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdicts of the state machine (docs/controller-lifecycle.md) and the one failure rule. */
class RunStatesTest {

  @Test
  void aRestoreIsFinishedWhenCompletedOrStalledForItsGeneration() {
    assertThat(RunStates.isFinished(restore(2L, null, null))).isFalse();
    assertThat(RunStates.isFinished(restore(2L, "2026-01-01T00:00:00Z", null))).isTrue();
    assertThat(RunStates.isFinished(restore(2L, null, 2L))).isTrue();
    // A spec edit (a new generation) runs a Stalled Restore again.
    assertThat(RunStates.isFinished(restore(3L, null, 2L))).isFalse();
  }

  @Test
  void aOneTimeBackupIsFinishedForItsGenerationARecurringOneNever() {
    assertThat(RunStates.isFinishedOneTime(backup(false, 1L, 1L))).isTrue();
    assertThat(RunStates.isFinishedOneTime(backup(false, 2L, 1L))).isFalse();
    assertThat(RunStates.isFinishedOneTime(backup(true, 1L, 1L))).isFalse();
  }

  @Test
  void retryingIsAnErrorWithoutStalled() {
    BackupStatus status = new BackupStatus();
    status.setConditions(List.of(condition("Reconciling", "False", "Error")));
    assertThat(RunStates.isRetrying(status)).isTrue();
    status.setConditions(
        List.of(condition("Reconciling", "False", "Error"), condition("Stalled", "True", "Error")));
    assertThat(RunStates.isRetrying(status)).isFalse();
    status.setConditions(List.of(condition("Reconciling", "True", "InProgress")));
    assertThat(RunStates.isRetrying(status)).isFalse();
    assertThat(RunStates.isInProgress(status)).isTrue();
  }

  @Test
  void s3AndKubernetesAccessDeniedAreTreatedAlike() {
    assertThat(Failures.needsUserAction(new ValidationException("bad spec"))).isTrue();
    assertThat(Failures.needsUserAction(new OperatorException("s3 403", true))).isTrue();
    assertThat(Failures.needsUserAction(new KubeApiException("forbidden", 403))).isTrue();
    assertThat(Failures.needsUserAction(new KubeApiException("unauthorized", 401))).isTrue();
    assertThat(Failures.needsUserAction(new KubeApiException("unavailable", 503))).isFalse();
    assertThat(Failures.needsUserAction(new KubeApiException("conflict", 409))).isFalse();
    assertThat(
            Failures.needsUserAction(
                new OperatorException("listing", false, new KubeApiException("forbidden", 403))))
        .isTrue();
    assertThat(Failures.needsUserAction(new OperatorException("ResourceSet x not found", false)))
        .isFalse();
  }

  private static Restore restore(Long generation, String completed, Long stalledGeneration) {
    Restore restore = new Restore();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName("r");
    metadata.setGeneration(generation);
    restore.setMetadata(metadata);
    RestoreStatus status = new RestoreStatus();
    status.setRestoreCompletionTs(completed);
    if (stalledGeneration != null) {
      status.setObservedGeneration(stalledGeneration);
      status.setConditions(List.of(condition("Stalled", "True", "Error")));
    }
    restore.setStatus(status);
    return restore;
  }

  private static Backup backup(boolean recurring, Long generation, Long observed) {
    Backup backup = new Backup();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName("b");
    metadata.setGeneration(generation);
    backup.setMetadata(metadata);
    BackupSpec spec = new BackupSpec();
    spec.setResourceSetName("set");
    if (recurring) {
      spec.setSchedule("@every 1h");
    }
    backup.setSpec(spec);
    BackupStatus status = new BackupStatus();
    status.setObservedGeneration(observed);
    status.setBackupType(recurring ? BackupType.RECURRING : BackupType.ONE_TIME);
    backup.setStatus(status);
    return backup;
  }

  private static Condition condition(String type, String status, String reason) {
    Condition condition = new Condition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setReason(reason);
    return condition;
  }
}

package dev.backuprestore.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private final Conditions at1 =
      new Conditions(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  private final Conditions at2 =
      new Conditions(Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void successReplacesTheListWithReadyCompletedAndUploaded() {
    List<Condition> failed = at1.failed(List.of(), "boom", false);
    List<Condition> completed = at2.completed(failed, true);

    assertThat(completed).extracting(Condition::getType).containsExactly("Ready", "Uploaded");
    assertThat(completed.get(0).getStatus()).isEqualTo("True");
    assertThat(completed.get(0).getMessage()).isEqualTo("Completed");
    assertThat(completed.get(1).getStatus()).isEqualTo("True");
    assertThat(completed.get(0).getLastTransitionTime()).isEqualTo("2026-01-02T00:00:00Z");
  }

  @Test
  void restoreSuccessHasOnlyReady() {
    assertThat(at1.completed(null, false)).extracting(Condition::getType).containsExactly("Ready");
  }

  @Test
  void aTransientErrorKeepsReadyStatusAndSaysRetrying() {
    List<Condition> failed = at1.failed(null, "the API server is down", false);

    Condition ready = Conditions.find(failed, "Ready");
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getMessage()).isEqualTo("Retrying");
    Condition reconciling = Conditions.find(failed, "Reconciling");
    assertThat(reconciling.getStatus()).isEqualTo("False");
    assertThat(reconciling.getReason()).isEqualTo("Error");
    assertThat(reconciling.getMessage()).isEqualTo("the API server is down");
    assertThat(Conditions.find(failed, "Stalled")).isNull();

    List<Condition> afterSuccess = at1.completed(null, true);
    Condition keptReady = Conditions.find(at2.failed(afterSuccess, "again", false), "Ready");
    assertThat(keptReady.getStatus()).isEqualTo("True");
    assertThat(keptReady.getMessage()).isEqualTo("Retrying");
  }

  @Test
  void aPermanentErrorStallsAndShowsTheErrorInReady() {
    List<Condition> failed = at1.failed(null, "bad schedule", true);

    assertThat(Conditions.find(failed, "Stalled").getStatus()).isEqualTo("True");
    assertThat(Conditions.find(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(Conditions.find(failed, "Ready").getMessage()).isEqualTo("bad schedule");
    assertThat(Conditions.find(failed, "Reconciling").getReason()).isEqualTo("Error");
  }

  @Test
  void timesChangeOnlyWhenValuesChange() {
    List<Condition> first = at1.failed(null, "same error", false);
    List<Condition> second = at2.failed(first, "same error", false);

    Condition reconciling = Conditions.find(second, "Reconciling");
    assertThat(reconciling.getLastUpdateTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(reconciling.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");

    List<Condition> third = at2.failed(first, "other error", false);
    Condition changed = Conditions.find(third, "Reconciling");
    assertThat(changed.getLastUpdateTime()).isEqualTo("2026-01-02T00:00:00Z");
    assertThat(changed.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void inProgressClearsStalled() {
    List<Condition> stalled = at1.failed(null, "x", true);
    List<Condition> progress = at2.inProgress(stalled, "Backup in progress");
    assertThat(Conditions.find(progress, "Stalled")).isNull();
    assertThat(Conditions.find(progress, "Reconciling").getStatus()).isEqualTo("True");
  }
}

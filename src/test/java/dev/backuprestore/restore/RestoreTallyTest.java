package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreTallyTest {
  @Test
  void keepsTheFirstFailuresAndCountsAll() {
    RestoreTally tally = new RestoreTally();
    for (int i = 0; i < 12; i++) {
      tally.fail(new ObjectFailure("configmaps ns/c" + i, "422 Invalid: bad", true));
    }

    RestoreResult result = tally.result(null);

    assertThat(result.failed()).isEqualTo(12);
    assertThat(result.failures()).hasSize(RestoreResult.MAX_FAILURES);
    assertThat(result.failures().get(0).toString()).isEqualTo("configmaps ns/c0: 422 Invalid: bad");
    assertThat(tally.allFailuresPermanent()).isTrue();
    tally.fail(new ObjectFailure("configmaps ns/x", "409 Conflict", false));
    assertThat(tally.allFailuresPermanent()).isFalse();
  }

  @Test
  void capsWarningsAndSaysHowManyWereLeftOut() {
    RestoreTally tally = new RestoreTally();
    for (int i = 0; i < RestoreResult.MAX_WARNINGS + 7; i++) {
      tally.warn("warning " + i);
    }

    List<String> warnings = tally.result(null).warnings();

    assertThat(warnings).hasSize(RestoreResult.MAX_WARNINGS + 1);
    assertThat(warnings.get(RestoreResult.MAX_WARNINGS)).isEqualTo("... and 7 more warnings");
  }

  @Test
  void describesFailuresForTheStatus() {
    List<ObjectFailure> failures =
        List.of(
            new ObjectFailure("deployments.apps default/x", "422 Invalid: spec.replicas", true),
            new ObjectFailure("configmaps default/y", "403 Forbidden: quota", false));

    assertThat(RestoreFailedException.describe("failed", 3, failures))
        .isEqualTo(
            "3 objects failed: deployments.apps default/x: 422 Invalid: spec.replicas;"
                + " configmaps default/y: 403 Forbidden: quota; ...");
    assertThat(RestoreFailedException.describe("failed", 1, failures.subList(0, 1)))
        .isEqualTo("1 object failed: deployments.apps default/x: 422 Invalid: spec.replicas");
  }

  @Test
  void waitingResults() {
    RestoreTally tally = new RestoreTally();
    tally.created();
    tally.pruned();

    RestoreResult waiting = tally.result(Duration.ofMillis(500));

    assertThat(waiting.isWaiting()).isTrue();
    assertThat(waiting.summary()).isEqualTo("created=1 updated=0 skipped=0 pruned=1 failed=0");
    assertThat(RestoreResult.waiting(Duration.ofSeconds(1)).isWaiting()).isTrue();
    assertThat(tally.result(null).isWaiting()).isFalse();
  }
}

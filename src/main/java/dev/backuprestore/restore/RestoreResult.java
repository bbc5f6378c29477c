package dev.backuprestore.restore;

import java.time.Duration;
import java.util.List;

/**
 * What one run of a restore did.
 *
 * @param created objects created
 * @param updated objects that existed and were replaced
 * @param skipped objects not written on purpose (by a {@link RestoreItemAction}: Rancher's own
 *     deployments, built-in roles, the operator's protected objects, tolerated webhook denials)
 * @param pruned objects deleted (or whose deletion was started) by prune
 * @param failed objects that could not be restored; non-zero only with ignoreErrors, otherwise the
 *     run throws {@link RestoreFailedException}
 * @param warnings what the user should know: owner references dropped, namespaces created,
 *     controllers that could not be scaled (at most {@link #MAX_WARNINGS}, then a count)
 * @param failures the first failures (at most {@link #MAX_FAILURES})
 * @param retryAfter non-null when the restore waits (CRDs not yet Established, prune grace period):
 *     call {@link RestoreRunner#run} again after this delay; the counts are then those of this run
 *     only
 */
public record RestoreResult(
    long created,
    long updated,
    long skipped,
    long pruned,
    long failed,
    List<String> warnings,
    List<ObjectFailure> failures,
    Duration retryAfter) {
  public static final int MAX_WARNINGS = 50;
  public static final int MAX_FAILURES = 10;

  public RestoreResult {
    warnings = List.copyOf(warnings);
    failures = List.copyOf(failures);
  }

  /** A run that has to be called again after {@code retryAfter}, with nothing counted. */
  public static RestoreResult waiting(Duration retryAfter) {
    return new RestoreResult(0, 0, 0, 0, 0, List.of(), List.of(), retryAfter);
  }

  public boolean isWaiting() {
    return retryAfter != null;
  }

  /** "created=3 updated=1 skipped=0 pruned=2 failed=0", for logs and status. */
  public String summary() {
    return "created="
        + created
        + " updated="
        + updated
        + " skipped="
        + skipped
        + " pruned="
        + pruned
        + " failed="
        + failed;
  }
}

package dev.backuprestore.operator;

import java.time.Duration;
import java.util.List;

/**
 * What one restore pass did.
 *
 * @param backupSource "S3" or "PV", as in status.backupSource
 * @param created objects created
 * @param updated objects that existed and were replaced
 * @param pruned objects deleted by prune
 * @param failed objects that could not be restored (tolerated only with ignoreErrors)
 * @param warnings things the user should know (dropped owner references, created namespaces)
 * @param retryAfter non-null when the restore waits (CRDs not yet Established, prune grace period)
 *     and must be called again after this delay; the other fields are then partial
 */
public record RestoreOutcome(
    String backupSource,
    long created,
    long updated,
    long pruned,
    long failed,
    List<String> warnings,
    Duration retryAfter) {

  public boolean isWaiting() {
    return retryAfter != null;
  }

  /** The status summary: counts and the first warnings. */
  public String summary() {
    StringBuilder text =
        new StringBuilder()
            .append("created=")
            .append(created)
            .append(" updated=")
            .append(updated)
            .append(" pruned=")
            .append(pruned)
            .append(" failed=")
            .append(failed);
    if (!warnings.isEmpty()) {
      text.append(" warnings=").append(warnings.size()).append(": ");
      text.append(String.join("; ", warnings.subList(0, Math.min(5, warnings.size()))));
    }
    return text.toString();
  }
}

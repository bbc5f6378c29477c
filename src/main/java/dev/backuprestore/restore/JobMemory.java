package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a restore job keeps between its runs while it waits (for CRDs to be Established, for the
 * prune grace period), in memory, per job id: how far it got, its counters, when it started waiting
 * for CRDs and which objects prune already counted. The next run re-reads and re-checks the
 * archive, then continues from there instead of applying everything again.
 *
 * <p>Losing this memory (operator restart) is harmless: the job starts over, and every step is
 * idempotent; only the counters then describe the last run. A job that fails or completes is
 * forgotten; entries unused for an hour are dropped.
 */
final class JobMemory {
  private static final Duration UNUSED = Duration.ofHours(1);

  private final Map<String, Progress> byJob = new ConcurrentHashMap<>();

  /** How far a job got. */
  enum Stage {
    /** Nothing applied yet. */
    START,
    /** CRDs applied; next: wait until they are Established, then the objects. */
    CRDS_APPLIED,
    /** Every object applied; next: prune. */
    OBJECTS_APPLIED
  }

  /** The progress of one job. */
  static final class Progress {
    private final RestoreTally tally = new RestoreTally();
    private final Set<ObjectPath> pruned = ConcurrentHashMap.newKeySet();
    private volatile Stage stage = Stage.START;
    private volatile Set<ObjectPath> appliedCrds = Set.of();
    private volatile Instant crdWaitSince;
    private volatile Instant lastUsed;

    Progress(Instant now) {
      this.lastUsed = now;
    }

    /** The job's counters, carried across its runs. */
    RestoreTally tally() {
      return tally;
    }

    Stage stage() {
      return stage;
    }

    void crdsApplied(Set<ObjectPath> crds) {
      appliedCrds = Set.copyOf(crds);
      stage = Stage.CRDS_APPLIED;
    }

    /** The CRDs the job applied, whose Established condition it waits for. */
    Set<ObjectPath> appliedCrds() {
      return appliedCrds;
    }

    void objectsApplied() {
      stage = Stage.OBJECTS_APPLIED;
    }

    /** When the job first found CRDs not Established; set on the first call. */
    Instant crdWaitSince(Instant now) {
      if (crdWaitSince == null) {
        crdWaitSince = now;
      }
      return crdWaitSince;
    }

    /** True the first time an object is counted as pruned for this job. */
    boolean countPruned(ObjectPath path) {
      return pruned.add(path);
    }
  }

  Progress progress(String jobId, Instant now) {
    byJob.values().removeIf(progress -> progress.lastUsed.plus(UNUSED).isBefore(now));
    Progress progress = byJob.computeIfAbsent(jobId, id -> new Progress(now));
    progress.lastUsed = now;
    return progress;
  }

  void forget(String jobId) {
    byJob.remove(jobId);
  }
}

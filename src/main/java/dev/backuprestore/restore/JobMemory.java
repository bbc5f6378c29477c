package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The little a restore remembers between the runs of one job while it waits: when it started
 * waiting for CRDs (to give up after a minute) and which objects prune already counted (so that a
 * run after the prune grace period reports every pruned object once). Everything else is derived
 * again from the archive and the cluster, so losing this memory (an operator restart) only resets
 * the CRD timeout and the prune count. Entries unused for an hour are dropped.
 */
final class JobMemory {
  private static final Duration UNUSED = Duration.ofHours(1);

  private final Map<String, Progress> byJob = new ConcurrentHashMap<>();

  /** The progress of one job. */
  static final class Progress {
    private volatile Instant crdWaitSince;
    private volatile Instant lastUsed;
    private final Set<ObjectPath> pruned = ConcurrentHashMap.newKeySet();

    Progress(Instant now) {
      this.lastUsed = now;
    }

    /** When the job first found CRDs not Established; set on the first call. */
    Instant crdWaitSince(Instant now) {
      if (crdWaitSince == null) {
        crdWaitSince = now;
      }
      return crdWaitSince;
    }

    void crdsEstablished() {
      crdWaitSince = null;
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

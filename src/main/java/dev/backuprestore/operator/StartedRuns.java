package dev.backuprestore.operator;

import dev.backuprestore.api.v1.ConditionedStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this process started. A status that says "in progress" for a run that is not here was
 * left by another process (the operator was killed, or the leader changed): the reconciler then
 * reports it with an Event and finishes it (docs/controller-lifecycle.md, "work found in
 * progress").
 */
final class StartedRuns {
  private final Set<String> started = ConcurrentHashMap.newKeySet();

  /** Marks the run as this process's; true if its status says another process had started it. */
  boolean startAndCheckResumed(HasMetadata resource, ConditionedStatus status) {
    boolean ours = !started.add(resource.getMetadata().getUid());
    return !ours && RunStates.isInProgress(status);
  }

  /** The run ended (completed, waiting for its next tick, or failed). */
  void ended(HasMetadata resource) {
    started.remove(resource.getMetadata().getUid());
  }
}

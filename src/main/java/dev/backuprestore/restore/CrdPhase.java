package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.kube.KubeApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that the CRDs a run applied are Established before custom resources are restored
 * (docs/rancher-compat.md#restore-crds). It never sleeps: when some are not yet, the run returns
 * "retry after {@link #POLL}" and the next run checks again; after {@link #TIMEOUT} since the job
 * first waited, they count as failed. Only the CRDs the job applied are checked (not those that
 * failed or were skipped).
 */
final class CrdPhase {
  /** Rancher polls every 500 ms ... */
  static final Duration POLL = Duration.ofMillis(500);

  /** ... for up to 60 s. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ObjectApi api;

  CrdPhase(ObjectApi api) {
    this.api = api;
  }

  /**
   * @return empty when every applied CRD is Established (or failed, counted in the tally), or the
   *     delay after which to run again
   */
  Optional<Duration> awaitEstablished(
      RestorePlan plan, JobMemory.Progress progress, Instant now, RestoreTally tally) {
    List<PlannedObject> pending = new ArrayList<>();
    for (PlannedObject crd : plan.crds()) {
      if (!progress.appliedCrds().contains(crd.path())) {
        continue; // failed or skipped when applied
      }
      Optional<ObjectNode> live;
      try {
        live = api.get(crd.path());
      } catch (KubeApiException e) {
        if (e.statusCode() == 0) {
          throw e;
        }
        crd.failed();
        tally.fail(new ObjectFailure(crd.describe(), e.getMessage(), e.isPermanent()));
        continue;
      }
      if (live.isEmpty()) {
        pending.add(crd); // deleted meanwhile? give it the same chance as a slow one
      } else if (Crds.namesRejected(live.get()) != null) {
        crd.failed();
        tally.fail(
            new ObjectFailure(
                crd.describe(), "names not accepted: " + Crds.namesRejected(live.get()), true));
      } else if (!Crds.isEstablished(live.get())) {
        pending.add(crd);
      }
    }
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    Instant since = progress.crdWaitSince(now);
    if (Duration.between(since, now).compareTo(TIMEOUT) < 0) {
      return Optional.of(POLL);
    }
    for (PlannedObject crd : pending) {
      crd.failed();
      tally.fail(
          new ObjectFailure(
              crd.describe(), "not Established after " + TIMEOUT.toSeconds() + "s", false));
    }
    return Optional.empty();
  }
}

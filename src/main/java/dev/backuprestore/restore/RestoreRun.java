package dev.backuprestore.restore;

import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.kube.Discovery;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The phases of one run, in Rancher's order (docs/rancher-compat.md#restore-order): CRDs, wait
 * until Established, cluster-scoped waves, missing Namespaces, namespaced waves, prune. A run
 * continues a job that waited from the stage it reached. Without ignoreErrors a phase with failures
 * ends the run (as Rancher does); prune failures always do.
 */
final class RestoreRun {
  private final RestoreJob job;
  private final RestorePlan plan;
  private final ObjectApi api;
  private final List<RestoreItemAction> actions;
  private final JobMemory.Progress progress;
  private final Clock clock;
  private final ExecutorService pool;
  private final RestoreTally tally;
  private final ArchivePass pass;
  private final ObjectApplier applier;
  private final Pruner pruner;

  RestoreRun(
      RestoreJob job,
      RestorePlan plan,
      ObjectApi api,
      Discovery discovery,
      ResourceCollector collector,
      List<RestoreItemAction> actions,
      long maxEntryBytes,
      JobMemory.Progress progress,
      Clock clock,
      ExecutorService pool,
      RestoreTally tally) {
    this.job = job;
    this.plan = plan;
    this.api = api;
    this.actions = actions;
    this.progress = progress;
    this.clock = clock;
    this.pool = pool;
    this.tally = tally;
    this.pass =
        new ArchivePass(job.archive(), job.cipher(), plan, maxEntryBytes, pool, maxInFlight());
    OwnerReferences owners = new OwnerReferences(plan, api, new ResourceTypes(discovery));
    this.applier = new ObjectApplier(api, plan, actions, owners, tally);
    this.pruner = new Pruner(api, collector, clock);
  }

  /**
   * Runs the phases from where the job got to ({@link JobMemory.Stage}); returns the delay after
   * which to run again, or null when done.
   */
  Duration execute() {
    if (progress.stage() == JobMemory.Stage.START) {
      tally.warnAll(plan.warnings());
      pass.run(PlannedObject::isCrd, applier::apply);
      endOfPhase("CRDs");
      progress.crdsApplied(
          plan.crds().stream()
              .filter(crd -> crd.state() == PlannedObject.State.APPLIED)
              .map(PlannedObject::path)
              .collect(Collectors.toSet()));
    }
    if (progress.stage() == JobMemory.Stage.CRDS_APPLIED) {
      // A dry run stores no CRD, so none becomes Established: there is nothing to wait for.
      Optional<Duration> crdWait =
          api.isDryRun()
              ? Optional.empty()
              : new CrdPhase(api).awaitEstablished(plan, progress, clock.instant(), tally);
      if (crdWait.isPresent()) {
        return crdWait.get();
      }
      endOfPhase("CRDs");
      applyObjects();
      progress.objectsApplied();
    }
    return job.prune() ? prune() : null;
  }

  private void applyObjects() {
    for (int wave : plan.clusterWaves()) {
      pass.run(o -> !o.isCrd() && !o.isNamespaced() && o.wave() == wave, applier::apply);
    }
    endOfPhase("cluster-scoped objects");

    new MissingNamespaces(api).create(plan, tally);
    for (int wave : plan.namespacedWaves()) {
      pass.run(o -> o.isNamespaced() && o.wave() == wave, applier::apply);
    }
    endOfPhase("namespaced objects");
  }

  private Duration prune() {
    Pruner.Outcome pruned =
        pruner.prune(
            plan, actions, job.deleteTimeoutSeconds(), progress, pool, maxInFlight(), tally);
    if (pruned.failures() > 0) {
      List<ObjectFailure> failures =
          tally.failures().stream().filter(f -> f.reason().startsWith("prune: ")).toList();
      throw new RestoreFailedException(
          RestoreFailedException.describe("could not be pruned", pruned.failures(), failures),
          failures.stream().allMatch(ObjectFailure::permanent),
          tally.result(null));
    }
    return pruned.retryAfter();
  }

  private void endOfPhase(String phase) {
    long failed = tally.failedCount();
    if (failed > 0 && !job.ignoreErrors()) {
      throw new RestoreFailedException(
          RestoreFailedException.describe("failed", failed, tally.failures())
              + " (while restoring "
              + phase
              + ")",
          tally.allFailuresPermanent(),
          tally.result(null));
    }
  }

  /** Bodies read ahead of the workers: enough to keep them busy, few enough for small heaps. */
  private int maxInFlight() {
    return job.workers() * 2;
  }
}

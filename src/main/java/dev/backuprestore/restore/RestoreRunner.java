package dev.backuprestore.restore;

import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.kube.Discovery;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.kube.KubeJsonApi;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.restore.actions.DefaultRestoreItemActions;
import dev.backuprestore.restore.actions.ProtectedObjectsAction;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore engine's entry point. {@link #run} is one complete, idempotent pass:
 *
 * <ol>
 *   <li>read the whole archive once and validate every entry ({@link ArchiveIndexer}); a bad
 *       archive fails here, before anything in the cluster changes;
 *   <li>scale the backup's {@code controllerReferences} down;
 *   <li>CRDs, then wait until they are Established, cluster-scoped objects, namespaced objects (see
 *       {@link RestoreRun}), prune;
 *   <li>scale the controllers back up, whatever happened.
 * </ol>
 *
 * <p>It never sleeps: when it has to wait (CRDs not yet Established, the prune grace period) it
 * returns {@link RestoreResult#isWaiting()} and the caller runs the same job again after the delay.
 * That run starts again from the archive (every step is idempotent); it finds the waiting point
 * again from the cluster (the CRDs' conditions, the pruned objects' deletionTimestamps) and only
 * keeps a small in-memory {@link JobMemory} per job id. One runner serves many jobs; it is
 * thread-safe, but restores are meant to run one at a time (the operator's Lease).
 */
public final class RestoreRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreRunner.class);

  private final ObjectApi api;
  private final ObjectApi dryRunApi;
  private final Discovery discovery;
  private final ResourceCollector collector;
  private final List<RestoreItemAction> actions;
  private final ArchiveIndexer indexer;
  private final long maxEntryBytes;
  private final Clock clock;
  private final JobMemory memory = new JobMemory();

  /** A runner with the built-in actions and the system clock. */
  public RestoreRunner(KubernetesClient client) {
    this(
        client,
        DefaultRestoreItemActions.all(),
        new ResourceCollector(client),
        ArchiveIndexer.DEFAULT_MAX_ENTRY_BYTES,
        Clock.systemUTC());
  }

  /**
   * @param actions the {@link RestoreItemAction}s, in the order they run on each object
   * @param collector finds the live objects the backup's selectors match (prune)
   * @param maxEntryBytes the largest archive entry accepted
   */
  public RestoreRunner(
      KubernetesClient client,
      List<RestoreItemAction> actions,
      ResourceCollector collector,
      long maxEntryBytes,
      Clock clock) {
    this.api = new ObjectApi(client);
    this.dryRunApi = api.dryRun();
    this.discovery = new Discovery(new KubeJsonApi(client));
    this.collector = collector;
    this.actions = List.copyOf(actions);
    this.indexer = new ArchiveIndexer(maxEntryBytes);
    this.maxEntryBytes = maxEntryBytes;
    this.clock = clock;
  }

  /**
   * Runs (a pass of) the restore.
   *
   * @return the counts, or a waiting result ({@link RestoreResult#retryAfter()}) to run the job
   *     again after that delay
   * @throws dev.backuprestore.archive.ArchiveFormatException the archive is malformed or an entry
   *     is not a valid object (permanent; nothing was changed)
   * @throws dev.backuprestore.crypto.DecryptionException an entry cannot be decrypted with the
   *     job's cipher (permanent; nothing was changed)
   * @throws RestoreFailedException objects failed (without ignoreErrors), prune failed, or the API
   *     server became unavailable; controllers were scaled back up
   * @throws OperatorException the archive could not be read (transient), or the backup's selectors
   *     are invalid for prune
   */
  public RestoreResult run(RestoreJob job) {
    return run(job, RestoreObserver.NONE);
  }

  /** {@link #run(RestoreJob)}, telling {@code observer} what happens to each object. */
  public RestoreResult run(RestoreJob job, RestoreObserver observer) {
    return run(job, observer, api);
  }

  /**
   * The same pass as {@link #run}, every write a server-side dry run: the API server validates and
   * admits each object as the restore would write it, and stores nothing. Controllers are not
   * scaled (the patches are dry runs too), CRDs of the archive are not waited for (they are never
   * Established), and custom resources of CRDs the archive creates, or objects in Namespaces it
   * creates, are refused with 404 (the server cannot check them before those exist): {@code
   * observer} tells which. Use a job with {@code ignoreErrors}, so that a refused object does not
   * end the pass, and without a prune grace period.
   */
  public RestoreResult dryRun(RestoreJob job, RestoreObserver observer) {
    return run(job, observer, dryRunApi);
  }

  private RestoreResult run(RestoreJob job, RestoreObserver observer, ObjectApi api) {
    RestorePlan plan = index(job);
    WavePlanner.plan(plan);
    LOG.info(
        "Restore {}: {} objects in the archive, {} CRDs, {} cluster-scoped and {} namespaced waves",
        job.id(),
        plan.objects().size(),
        plan.crds().size(),
        plan.clusterWaves().size(),
        plan.namespacedWaves().size());
    JobMemory.Progress progress = memory.progress(job.id(), clock.instant());
    RestoreTally tally = progress.tally();
    tally.observe(observer);
    List<RestoreItemAction> runActions = new ArrayList<>();
    runActions.add(new ProtectedObjectsAction(job.protectedObjects()));
    runActions.addAll(actions);

    ExecutorService pool = Executors.newFixedThreadPool(job.workers(), Parallel.workerThreads());
    ControllerScaler scaler = new ControllerScaler(api);
    List<ControllerScaler.Scaled> scaled = List.of();
    try {
      scaled = scaler.scaleDown(plan.filters().controllerReferences(), tally);
      Duration retryAfter =
          new RestoreRun(
                  job,
                  plan,
                  api,
                  discovery,
                  collector,
                  runActions,
                  maxEntryBytes,
                  progress,
                  clock,
                  pool,
                  tally)
              .execute();
      if (retryAfter == null) {
        memory.forget(job.id());
      }
      RestoreResult result = tally.result(retryAfter);
      LOG.info(
          "Restore {}: {}{}",
          job.id(),
          result.summary(),
          result.isWaiting() ? ", waiting " + retryAfter.toMillis() + " ms" : "");
      return result;
    } catch (RestoreFailedException e) {
      memory.forget(job.id());
      throw e;
    } catch (KubeApiException e) {
      memory.forget(job.id());
      throw new RestoreFailedException(
          (e.statusCode() == 0 ? "API server unavailable during the restore: " : "")
              + e.getMessage(),
          false,
          tally.result(null),
          e);
    } catch (RuntimeException e) {
      memory.forget(job.id());
      throw e;
    } finally {
      scaler.scaleUp(scaled, tally);
      pool.shutdownNow();
    }
  }

  private RestorePlan index(RestoreJob job) {
    try (InputStream archive = job.archive().get()) {
      return indexer.index(archive, job.cipher());
    } catch (IOException e) {
      throw new OperatorException("reading the archive failed: " + e.getMessage(), false, e);
    } catch (UncheckedIOException e) {
      throw new OperatorException(
          "opening the archive failed: " + e.getCause().getMessage(), false, e);
    }
  }
}

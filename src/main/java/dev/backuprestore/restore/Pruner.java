package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.kube.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prune (docs/rancher-compat.md#prune, #diff-prune-protection): deletes the live objects that the
 * backup's own selectors ({@code filters/filters.json}) match but the archive does not hold, except
 * those an action protects (the operator's objects, Rancher's built-in roles).
 *
 * <p>Pass 1 deletes them. Objects held by finalizers get {@code deleteTimeoutSeconds} to go away on
 * their own, measured from their {@code deletionTimestamp}: until then the run returns "retry
 * after" (no sleeping), and the next run, finding them still there, removes their finalizers and
 * deletes them again (pass 2). Failures of pass 2 fail the restore, whatever ignoreErrors says.
 */
final class Pruner {
  private final ObjectApi api;
  private final ResourceCollector collector;
  private final Clock clock;

  Pruner(ObjectApi api, ResourceCollector collector, Clock clock) {
    this.api = api;
    this.collector = collector;
    this.clock = clock;
  }

  /** What one prune did besides counting. */
  record Outcome(Duration retryAfter, int failures) {}

  Outcome prune(
      RestorePlan plan,
      List<RestoreItemAction> actions,
      int deleteTimeoutSeconds,
      JobMemory.Progress progress,
      ExecutorService pool,
      int maxInFlight,
      RestoreTally tally) {
    if (!plan.filters().present()) {
      tally.warn("nothing pruned: the archive has no filters/filters.json to select objects with");
      return new Outcome(null, 0);
    }
    List<ObjectPath> candidates = candidates(plan, actions);
    Parallel pass1 = new Parallel(pool, maxInFlight);
    for (ObjectPath candidate : candidates) {
      pass1.submit(() -> deleteQuietly(candidate, progress, tally));
    }
    pass1.await();

    Duration timeout = Duration.ofSeconds(Math.max(0, deleteTimeoutSeconds));
    List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failures = new AtomicInteger();
    Parallel pass2 = new Parallel(pool, maxInFlight);
    for (ObjectPath candidate : candidates) {
      pass2.submit(
          () -> {
            try {
              finish(candidate, timeout, progress, tally).ifPresent(waits::add);
            } catch (KubeApiException e) {
              if (e.statusCode() == 0) {
                throw e;
              }
              failures.incrementAndGet();
              tally.fail(
                  new ObjectFailure(
                      PlannedObject.describe(candidate),
                      "prune: " + e.getMessage(),
                      e.isPermanent()));
            }
          });
    }
    pass2.await();
    Duration retryAfter = waits.stream().max(Duration::compareTo).orElse(null);
    return new Outcome(retryAfter, failures.get());
  }

  /** Live objects the backup's selectors match that the archive does not hold. */
  private List<ObjectPath> candidates(RestorePlan plan, List<RestoreItemAction> actions) {
    List<ObjectPath> candidates = new ArrayList<>();
    try {
      collector.collect(
          plan.filters().resourceSelectors(),
          (type, object) -> {
            ObjectPath path = pathOf(type, object);
            if (!plan.contains(path)
                && actions.stream().noneMatch(a -> a.protectsFromPrune(path, object))) {
              candidates.add(path);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e); // our sink does no I/O
    }
    return candidates;
  }

  private static ObjectPath pathOf(ResourceType type, JsonNode object) {
    JsonNode metadata = object.path("metadata");
    return new ObjectPath(
        type.group(),
        type.version(),
        type.plural(),
        type.namespaced() ? metadata.path("namespace").asText("") : null,
        metadata.path("name").asText(""));
  }

  /** Pass 1: delete what is not being deleted yet; errors are retried by pass 2. */
  private void deleteQuietly(ObjectPath path, JobMemory.Progress progress, RestoreTally tally) {
    try {
      Optional<ObjectNode> live = api.get(path);
      if (live.isPresent() && deletionTimestamp(live.get()) == null && api.delete(path)) {
        count(path, progress, tally);
      }
    } catch (KubeApiException e) {
      if (e.statusCode() == 0) {
        throw e;
      }
    }
  }

  /**
   * Pass 2: an object still there is deleted again once its grace period is over, after its
   * finalizers are removed.
   *
   * @return how long to wait before it may be forced, if its grace period is not over
   */
  private Optional<Duration> finish(
      ObjectPath path, Duration timeout, JobMemory.Progress progress, RestoreTally tally) {
    Optional<ObjectNode> live = api.get(path);
    if (live.isEmpty()) {
      return Optional.empty();
    }
    Instant deleting = deletionTimestamp(live.get());
    if (deleting != null && !timeout.isZero()) {
      Duration left = Duration.between(clock.instant(), deleting.plus(timeout));
      if (left.compareTo(Duration.ZERO) > 0) {
        return Optional.of(left);
      }
    }
    if (live.get().path("metadata").path("finalizers").size() > 0) {
      ObjectNode patch = ArchiveJson.MAPPER.createObjectNode();
      patch.putObject("metadata").putNull("finalizers");
      api.mergePatch(path, patch);
    }
    try {
      api.delete(path);
    } catch (KubeApiException e) {
      // 409 on a Namespace already terminating: its content is being removed, as asked.
      if (!(e.statusCode() == 409 && deleting != null)) {
        throw e;
      }
    }
    count(path, progress, tally);
    return Optional.empty();
  }

  private static void count(ObjectPath path, JobMemory.Progress progress, RestoreTally tally) {
    if (progress.countPruned(path)) {
      tally.pruned();
      tally.observer().pruned(path);
    }
  }

  private static Instant deletionTimestamp(JsonNode object) {
    String value = object.path("metadata").path("deletionTimestamp").asText("");
    if (value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH; // unreadable: treat the grace period as over
    }
  }
}

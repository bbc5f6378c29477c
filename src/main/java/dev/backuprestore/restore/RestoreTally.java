package dev.backuprestore.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The counters of one run, shared by the workers; becomes the {@link RestoreResult}. */
final class RestoreTally {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreTally.class);

  private final AtomicLong created = new AtomicLong();
  private final AtomicLong updated = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong pruned = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<String> warnings = new ArrayList<>();
  private final List<ObjectFailure> failures = new ArrayList<>();
  private long warningCount;
  private boolean anyTransient;
  private volatile RestoreObserver observer = RestoreObserver.NONE;

  /** Who hears of each object's outcome in this run (the counts are kept either way). */
  void observe(RestoreObserver value) {
    this.observer = value == null ? RestoreObserver.NONE : value;
  }

  RestoreObserver observer() {
    return observer;
  }

  void created() {
    created.incrementAndGet();
  }

  void updated() {
    updated.incrementAndGet();
  }

  void skipped() {
    skipped.incrementAndGet();
  }

  void pruned() {
    pruned.incrementAndGet();
  }

  synchronized void warn(String warning) {
    LOG.warn("Restore: {}", warning);
    warningCount++;
    if (warnings.size() < RestoreResult.MAX_WARNINGS) {
      warnings.add(warning);
    }
  }

  synchronized void warnAll(List<String> more) {
    more.forEach(this::warn);
  }

  synchronized void fail(ObjectFailure failure) {
    LOG.warn("Restore: {} failed: {}", failure.object(), failure.reason());
    failed.incrementAndGet();
    anyTransient |= !failure.permanent();
    if (failures.size() < RestoreResult.MAX_FAILURES) {
      failures.add(failure);
    }
  }

  long failedCount() {
    return failed.get();
  }

  /** True when every failure so far is permanent (retrying cannot help). */
  synchronized boolean allFailuresPermanent() {
    return !anyTransient;
  }

  synchronized List<ObjectFailure> failures() {
    return List.copyOf(failures);
  }

  synchronized RestoreResult result(Duration retryAfter) {
    List<String> shown = new ArrayList<>(warnings);
    if (warningCount > warnings.size()) {
      shown.add("... and " + (warningCount - warnings.size()) + " more warnings");
    }
    return new RestoreResult(
        created.get(),
        updated.get(),
        skipped.get(),
        pruned.get(),
        failed.get(),
        shown,
        failures,
        retryAfter);
  }
}

package dev.backuprestore.restore;

import dev.backuprestore.kube.OperatorException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs tasks on a bounded pool with at most {@code maxInFlight} submitted and unfinished, so a
 * producer streaming from an archive never holds more than that many bodies. {@link #await()} waits
 * for all of them and rethrows the first failure. One instance per batch; the submitting thread is
 * the only one calling {@link #submit} and {@link #await}.
 */
final class Parallel {
  private final ExecutorService pool;
  private final int maxInFlight;
  private final Semaphore permits;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  Parallel(ExecutorService pool, int maxInFlight) {
    this.pool = pool;
    this.maxInFlight = maxInFlight;
    this.permits = new Semaphore(maxInFlight);
  }

  /** A daemon thread factory: "restore-worker-1", ... */
  static ThreadFactory workerThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "restore-worker-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** True once a task failed: producers stop submitting. */
  boolean failed() {
    return failure.get() != null;
  }

  /** Blocks while {@code maxInFlight} tasks are running. */
  void submit(Runnable task) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("restore interrupted", false, e);
    }
    try {
      pool.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
            } catch (Error e) {
              failure.compareAndSet(null, new IllegalStateException(e.toString(), e));
              throw e;
            } finally {
              permits.release();
            }
          });
    } catch (RejectedExecutionException e) {
      permits.release();
      failure.compareAndSet(null, new OperatorException("restore workers stopped", false, e));
    }
  }

  /** Waits for every submitted task; then throws the first failure, if any. */
  void await() {
    drain();
    RuntimeException first = failure.get();
    if (first != null) {
      throw first;
    }
  }

  /** Waits for every submitted task, ignoring their failures (the caller has a better one). */
  void drain() {
    permits.acquireUninterruptibly(maxInFlight);
    permits.release(maxInFlight);
  }
}

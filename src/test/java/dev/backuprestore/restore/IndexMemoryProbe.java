package dev.backuprestore.restore;

import dev.backuprestore.crypto.ObjectCipher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Run in a child JVM with a small heap by {@link RestoreMemoryTest}: the restore pipeline without
 * the network. It indexes an archive, plans its waves and streams every wave's bodies to 8 workers
 * through {@link ArchivePass}, as {@link RestoreRunner} does. The workers play a fast local sink
 * for {@link ObjectApplier}: each resolves its object's owner references against the plan (the
 * owner index and the owners' live UIDs, as {@link OwnerReferences} does), then records the object
 * as applied with a fresh UID, so every per-object column of the plan is written and read.
 *
 * <p>Prints "objects=N applied=N owners=N waves=W heapAfterIndexMiB=H heapAfterApplyMiB=H
 * spilledMiB=S": heap occupancy after a full GC, while the plan is still reachable.
 */
public final class IndexMemoryProbe {
  private IndexMemoryProbe() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    Supplier<InputStream> archive =
        () -> {
          try {
            return Files.newInputStream(file);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    RestorePlan plan;
    try (InputStream in = archive.get()) {
      plan = new ArchiveIndexer().index(in, ObjectCipher.none());
    }
    WavePlanner.plan(plan);
    long afterIndex = heapAfterGc();
    ExecutorService pool = Executors.newFixedThreadPool(8, Parallel.workerThreads());
    AtomicLong applied = new AtomicLong();
    AtomicLong ownersFound = new AtomicLong();
    ArchivePass pass =
        new ArchivePass(
            archive, ObjectCipher.none(), plan, ArchiveIndexer.DEFAULT_MAX_ENTRY_BYTES, pool, 16);
    for (int wave : plan.clusterWaves()) {
      pass.run(
          o -> !o.isNamespaced() && o.wave() == wave,
          (o, body) -> apply(plan, o, applied, ownersFound));
    }
    for (int wave : plan.namespacedWaves()) {
      pass.run(
          o -> o.isNamespaced() && o.wave() == wave,
          (o, body) -> apply(plan, o, applied, ownersFound));
    }
    pool.shutdown();
    long afterApply = heapAfterGc();
    System.out.println(
        "objects="
            + plan.objects().size()
            + " applied="
            + applied.get()
            + " owners="
            + ownersFound.get()
            + " waves="
            + (plan.clusterWaves().size() + plan.namespacedWaves().size())
            + " heapAfterIndexMiB="
            + afterIndex / (1024 * 1024)
            + " heapAfterApplyMiB="
            + afterApply / (1024 * 1024)
            + " spilledMiB="
            + plan.store().spilledBytes() / (1024 * 1024));
    plan.close();
  }

  private static void apply(
      RestorePlan plan, PlannedObject object, AtomicLong applied, AtomicLong ownersFound) {
    for (OwnerRef ref : object.owners()) {
      PlannedObject owner =
          plan.findOwner(ref, object.path().namespace())
              .orElseThrow(() -> new IllegalStateException(object + ": owner " + ref + " lost"));
      if (owner.state() != PlannedObject.State.APPLIED || owner.liveUid() == null) {
        throw new IllegalStateException(object + ": owner " + owner + " not applied before it");
      }
      ownersFound.incrementAndGet();
    }
    object.applied(UUID.randomUUID().toString());
    applied.incrementAndGet();
  }

  private static long heapAfterGc() {
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return heap.getUsed();
  }
}

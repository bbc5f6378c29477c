package dev.backuprestore.restore;

import dev.backuprestore.crypto.ObjectCipher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Run in a child JVM with a small heap by {@link RestoreMemoryTest}: indexes an archive, plans its
 * waves and streams every wave's bodies to workers (which only count them), as a restore does.
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
    ExecutorService pool = Executors.newFixedThreadPool(8, Parallel.workerThreads());
    AtomicLong applied = new AtomicLong();
    ArchivePass pass =
        new ArchivePass(
            archive, ObjectCipher.none(), plan, ArchiveIndexer.DEFAULT_MAX_ENTRY_BYTES, pool, 16);
    for (int wave : plan.clusterWaves()) {
      pass.run(o -> !o.isNamespaced() && o.wave() == wave, (o, body) -> applied.incrementAndGet());
    }
    for (int wave : plan.namespacedWaves()) {
      pass.run(o -> o.isNamespaced() && o.wave() == wave, (o, body) -> applied.incrementAndGet());
    }
    pool.shutdown();
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    System.out.println(
        "objects="
            + plan.objects().size()
            + " applied="
            + applied.get()
            + " waves="
            + (plan.clusterWaves().size() + plan.namespacedWaves().size())
            + " usedMiB="
            + (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024));
  }
}

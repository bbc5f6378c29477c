package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveEntry;
import dev.backuprestore.archive.TarGzArchiveReader;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.OperatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Streams the archive once more and hands the selected objects' bodies (decrypted, parsed) to
 * workers: this is how a wave gets its bodies without the plan ever holding them. The n-th object
 * entry of the archive is the n-th object of the plan; an archive that differs from the indexed one
 * stops the run. Reading stops after the last selected entry.
 */
final class ArchivePass {
  private final Supplier<InputStream> archive;
  private final ObjectCipher cipher;
  private final RestorePlan plan;
  private final long maxEntryBytes;
  private final ExecutorService pool;
  private final int maxInFlight;

  ArchivePass(
      Supplier<InputStream> archive,
      ObjectCipher cipher,
      RestorePlan plan,
      long maxEntryBytes,
      ExecutorService pool,
      int maxInFlight) {
    this.archive = archive;
    this.cipher = cipher;
    this.plan = plan;
    this.maxEntryBytes = maxEntryBytes;
    this.pool = pool;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Applies {@code apply} to every selected object, in parallel, and waits for all of them; {@code
   * apply} gets the object's body as a source of fresh trees (each call parses it again).
   */
  void run(
      Predicate<PlannedObject> selected, BiConsumer<PlannedObject, Supplier<ObjectNode>> apply) {
    List<PlannedObject> objects = plan.objects();
    int last = -1;
    for (int i = 0; i < objects.size(); i++) {
      if (selected.test(objects.get(i))) {
        last = i;
      }
    }
    if (last < 0) {
      return;
    }
    Parallel tasks = new Parallel(pool, maxInFlight);
    // Entries are compared with the index one by one, so a repeated entry cannot slip through.
    try (TarGzArchiveReader reader =
        TarGzArchiveReader.withoutDuplicateCheck(archive.get(), maxEntryBytes)) {
      int index = 0;
      while (index <= last && !tasks.failed()) {
        Optional<ArchiveEntry> next = reader.next();
        if (next.isEmpty()) {
          throw changed("it ended after " + index + " objects");
        }
        ArchiveEntry entry = next.get();
        if (entry.isFilters()) {
          continue;
        }
        PlannedObject planned = objects.get(index++);
        if (!planned.path().equals(entry.object())) {
          throw changed("entry '" + entry.path() + "' where '" + planned.path() + "' was indexed");
        }
        if (selected.test(planned)) {
          tasks.submit(
              () -> {
                byte[] json = ArchiveIndexer.open(cipher, entry, planned.path());
                apply.accept(planned, () -> ArchiveJson.parseObject(entry.path(), json));
              });
        }
      }
    } catch (IOException e) {
      tasks.drain();
      throw new OperatorException("reading the archive again failed: " + e.getMessage(), false, e);
    } catch (UncheckedIOException e) {
      tasks.drain();
      throw new OperatorException(
          "opening the archive again failed: " + e.getCause().getMessage(), false, e);
    } catch (RuntimeException e) {
      tasks.drain();
      throw e;
    }
    tasks.await();
  }

  private static OperatorException changed(String how) {
    return new OperatorException("the archive changed while restoring: " + how, false);
  }
}

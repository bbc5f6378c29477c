package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.archive.ArchiveLayout;
import dev.backuprestore.archive.TarGzArchiveWriter;
import dev.backuprestore.testing.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore's heap does not grow with the archive: indexing, planning and streaming every wave's
 * bodies to workers that resolve owners and record live UIDs ({@link IndexMemoryProbe}) fits
 * 100,000 objects in a 64 MiB heap and 500,000 in 256 MiB (the chart's limit), with the same heap
 * after a full GC. Each runs in a child JVM so that the heap limit is real. The network part of a
 * restore (requests, at most {@code 2 × workers} bodies in flight) is proven by the restore
 * benchmark (docs/benchmarks.md), not here: a real apiserver takes minutes for 500,000 objects.
 */
class RestoreMemoryTest {
  private static final Pattern HEAP = Pattern.compile("heapAfterApplyMiB=(\\d+)");

  @Test
  void aHundredThousandObjectsFitIn64MiBAndFiveHundredThousandIn256MiBWithTheSameHeap(
      @TempDir Path dir) throws Exception {
    String hundredThousand = probe(dir, 20_000, "-Xmx64m");
    String fiveHundredThousand = probe(dir, 100_000, "-Xmx256m");

    assertThat(hundredThousand).contains("objects=100000 applied=100000 owners=40000 ");
    assertThat(fiveHundredThousand).contains("objects=500000 applied=500000 owners=200000 ");
    // The on-heap plan took about 0.35 KB per object: 130 MiB more for 400,000 more objects.
    assertThat(heapMiB(fiveHundredThousand)).isLessThanOrEqualTo(heapMiB(hundredThousand) + 8);
  }

  private static long heapMiB(String output) {
    Matcher matcher = HEAP.matcher(output);
    assertThat(matcher.find()).as(output).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  /** Writes an archive of {@code groups} × 5 objects and runs the probe on it; its output. */
  private static String probe(Path dir, int groups, String heap) throws Exception {
    Path archive = dir.resolve("archive-" + groups + ".tar.gz");
    writeArchive(archive, groups);
    ChildJvm.Result probe =
        ChildJvm.run(
            List.of(heap, "-Djava.io.tmpdir=" + dir),
            IndexMemoryProbe.class,
            Duration.ofMinutes(10),
            archive.toString());
    Files.delete(archive);
    String output = probe.output();

    assertThat(probe.exitCode()).as(output).isZero();
    System.out.println(
        "RestoreMemoryTest probe " + heap + ", " + groups * 5 + ": " + output.strip());
    return output;
  }

  /**
   * Per group, in 100 namespaces: a Deployment, its ReplicaSet, the ReplicaSet's Pod and two
   * ConfigMaps, each with a body of about 500 bytes, so that bodies could not fit in the heap.
   */
  private static void writeArchive(Path file, int groups) throws IOException {
    String padding = "x".repeat(400);
    try (OutputStream out = Files.newOutputStream(file);
        TarGzArchiveWriter writer = new TarGzArchiveWriter(out)) {
      writer.writeFilters("{\"resourceSelectors\":[]}".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < groups; i++) {
        String ns = "ns-" + (i % 100);
        write(
            writer,
            "apps",
            "deployments",
            ns,
            "d" + i,
            object("apps/v1", "Deployment", ns, "d" + i, null, padding));
        write(
            writer,
            "apps",
            "replicasets",
            ns,
            "r" + i,
            object(
                "apps/v1",
                "ReplicaSet",
                ns,
                "r" + i,
                owner("apps/v1", "Deployment", "d" + i),
                padding));
        write(
            writer,
            "",
            "pods",
            ns,
            "p" + i,
            object("v1", "Pod", ns, "p" + i, owner("apps/v1", "ReplicaSet", "r" + i), padding));
        write(
            writer,
            "",
            "configmaps",
            ns,
            "c" + i,
            object("v1", "ConfigMap", ns, "c" + i, null, padding));
        write(
            writer,
            "",
            "configmaps",
            ns,
            "s" + i,
            object("v1", "ConfigMap", ns, "s" + i, null, padding));
      }
    }
  }

  private static void write(
      TarGzArchiveWriter writer, String group, String resource, String ns, String name, String json)
      throws IOException {
    writer.writeObject(
        ArchiveLayout.object(group, group.isEmpty() ? "v1" : "v1", resource, ns, name),
        json.getBytes(StandardCharsets.UTF_8));
  }

  private static String owner(String apiVersion, String kind, String name) {
    return "[{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"name\":\"%s\",\"uid\":\"00000000-0000-0000-0000-00000000dead\"}]"
        .formatted(apiVersion, kind, name);
  }

  private static String object(
      String apiVersion, String kind, String ns, String name, String owners, String padding) {
    return "{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\"%s},\"data\":{\"padding\":\"%s\"}}"
        .formatted(
            apiVersion,
            kind,
            name,
            ns,
            owners == null ? "" : ",\"ownerReferences\":" + owners,
            padding);
  }
}

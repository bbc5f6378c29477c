package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveLayout;
import dev.backuprestore.archive.TarGzArchiveWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore's memory does not grow with the archive's bodies: indexing, planning and streaming
 * 100,000 objects (with owner chains) fits in a 128 MiB heap, a quarter of the 512 MiB the operator
 * is given. Runs in a child JVM so that the heap limit is real.
 */
class RestoreMemoryTest {
  private static final int GROUPS = 20_000; // x 5 objects

  @Test
  void aHundredThousandObjectsFitInA128MiBHeap(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("big.tar.gz");
    writeArchive(archive);

    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                IndexMemoryProbe.class.getName(),
                archive.toString())
            .redirectErrorStream(true)
            .start();
    boolean finished = probe.waitFor(5, TimeUnit.MINUTES);
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(finished).as(output).isTrue();
    assertThat(probe.exitValue()).as(output).isZero();
    assertThat(output).contains("objects=" + GROUPS * 5 + " applied=" + GROUPS * 5);
    System.out.println("RestoreMemoryTest probe: " + output.strip());
  }

  private static void writeArchive(Path file) throws IOException {
    String padding = "x".repeat(400); // a realistic body size, so bodies would not fit
    try (OutputStream out = Files.newOutputStream(file);
        TarGzArchiveWriter writer = new TarGzArchiveWriter(out)) {
      writer.writeFilters("{\"resourceSelectors\":[]}".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < GROUPS; i++) {
        String ns = "ns-" + (i % 100);
        for (ObjectNode object :
            List.of(
                RestoreFixture.deployment(ns, "d" + i, 1),
                Json.ownedBy(
                    Json.object("apps/v1", "ReplicaSet", ns, "r" + i),
                    "apps/v1",
                    "Deployment",
                    "d" + i),
                Json.ownedBy(
                    Json.object("v1", "Pod", ns, "p" + i), "apps/v1", "ReplicaSet", "r" + i),
                Json.configMap(ns, "c" + i, "padding", padding),
                Json.configMap(ns, "s" + i, "padding", padding))) {
          String apiVersion = object.path("apiVersion").asText();
          String[] groupVersion = Json.groupVersion(apiVersion);
          String kind = object.path("kind").asText();
          String resource = kind.toLowerCase() + "s";
          writer.writeObject(
              ArchiveLayout.object(
                  groupVersion[0],
                  groupVersion[1],
                  resource,
                  ns,
                  object.at("/metadata/name").asText()),
              ArchiveJson.write(object));
        }
      }
    }
  }
}

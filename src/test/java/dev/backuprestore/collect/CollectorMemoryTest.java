package dev.backuprestore.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A backup's collection keeps no memory per object when its selectors do not overlap: 500,000
 * objects go through {@link ResourceCollector} in a child JVM with a 32 MiB heap ({@link
 * CollectorMemoryProbe}). The set of every archive path that the collector used to keep for the
 * duplicate check (about 100 bytes per object, 50 MB here) would not fit.
 */
class CollectorMemoryTest {
  @Test
  void fiveHundredThousandObjectsAreCollectedInA32MiBHeap() throws Exception {
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                CollectorMemoryProbe.class.getName(),
                "500000")
            .redirectErrorStream(true)
            .start();
    boolean finished = probe.waitFor(5, TimeUnit.MINUTES);
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(finished).as(output).isTrue();
    assertThat(probe.exitValue()).as(output).isZero();
    assertThat(output).contains("collected=500000 duplicates=0 ");
    System.out.println(
        "CollectorMemoryTest probe: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
  }
}

package dev.backuprestore.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
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
    ChildJvm.Result probe =
        ChildJvm.run(
            List.of("-Xmx32m"), CollectorMemoryProbe.class, Duration.ofMinutes(5), "500000");
    String output = probe.output();

    assertThat(probe.exitCode()).as(output).isZero();
    assertThat(output).contains("collected=500000 duplicates=0 ");
    System.out.println(
        "CollectorMemoryTest probe: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
  }
}

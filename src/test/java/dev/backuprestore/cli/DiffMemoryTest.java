package dev.backuprestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff} holds a digest per object, not the object: two archives of 20,000 objects of 4 KB
 * (80 MB of JSON a side, about 170 MB as trees for both) are compared in a child JVM with a 64 MiB
 * heap, and the changed objects' fields are still printed.
 */
class DiffMemoryTest {
  private static final int OBJECTS = 20_000;
  private static final String BIG = "x".repeat(4_000);

  @TempDir Path dir;

  @Test
  void twoLargeArchivesAreComparedInA64MiBHeap() throws Exception {
    Archives first = new Archives();
    Archives second = new Archives();
    for (int i = 0; i < OBJECTS; i++) {
      String name = "cm-" + i;
      if (i >= 5) {
        first.add("configmaps", Archives.configMap("big", name, "v", BIG + i));
      }
      if (i < OBJECTS - 5) {
        String value = i % 2_000 == 1_000 ? BIG + "changed" + i : BIG + i;
        second.add("configmaps", Archives.configMap("big", name, "v", value));
      }
    }
    Path a = first.write(dir.resolve("first.tar.gz"), ObjectCipher.none());
    Path b = second.write(dir.resolve("second.tar.gz"), ObjectCipher.none());

    ChildJvm.Result diff =
        ChildJvm.run(
            List.of("-Xmx64m"),
            BroCli.class,
            Duration.ofMinutes(5),
            "diff",
            a.toString(),
            b.toString());
    String output = diff.output();

    assertThat(diff.exitCode()).as(output).isEqualTo(ExitCodes.FINDINGS);
    assertThat(output)
        .contains("+ configmaps big/cm-0")
        .contains("- configmaps big/cm-" + (OBJECTS - 1))
        .contains("~ configmaps big/cm-1000\n    ~ data.v: ")
        .contains("5 added, 5 removed, 10 changed, " + (OBJECTS - 20) + " unchanged");
  }
}

package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/check-self-contained.py, which scripts/test.sh runs first: it passes on this repository,
 * and it fails on a copy of a tree with each kind of read outside the repository planted in it.
 */
class SelfContainedCheckTest {
  private static final Path CHECK = Path.of("scripts/check-self-contained.py");

  record Run(int exitCode, String output) {}

  private static Run check(Path root) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("python3", CHECK.toAbsolutePath().toString(), root.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  private static void write(Path root, String file, String content) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(
        path,
        content
            .replace("{UP}", "..")
            .replace("{SHARED}", "shared")
            .replace("{WORK}", "/" + "work")
            .replace("{USERDIR}", "user" + ".dir"));
  }

  @Test
  void thisRepositoryReadsNothingOutsideItself() throws Exception {
    Run run = check(Path.of("."));

    assertThat(run.output()).contains("nothing outside the repository");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void aTreeWithoutViolationsPasses(@TempDir Path root) throws Exception {
    write(
        root,
        "scripts/test.sh",
        """
        ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
        cat "$ROOT/scripts/../pom.xml"
        """);
    write(
        root,
        "src/test/java/a/ATest.java",
        """
        class ATest {
          Path crds = Path.of("crds");
          Path archive = Path.of("target/../crds/x.yml");
          String traversal = "../escape.tar.gz"; // an input string, not a file read
        }
        """);

    Run run = check(root);

    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void eachKindOfOutsideReadFails(@TempDir Path root) throws Exception {
    // The planted lines are spelled with placeholders so that this file does not trip the check.
    write(
        root,
        "src/test/java/a/ReferenceTest.java",
        """
        class ReferenceTest {
          Path a = Path.of("{UP}/{SHARED}/rancher/crds");
          Path b = Path.of("target/{UP}/{UP}/sibling/x.yaml");
          Path c = root.resolve("{UP}/other");
          Path root = Path.of(System.getProperty("{USERDIR}")).getParent();
        }
        """);
    write(root, "scripts/lib/x.sh", "source \"$(dirname \"$0\")/{UP}/{UP}/{UP}/outside.sh\"\n");
    write(root, "scripts/y.sh", "cat \"$ROOT/{UP}/notes.txt\"\n");
    write(root, "pom.xml", "<directory>${project.basedir}/{UP}/common</directory>\n");
    write(root, "test-env/kube/go.mod", "replace k8s.io/x => {UP}/{UP}/{UP}/x\n");
    write(root, ".github/workflows/ci.yml", "run: cp {WORK}/cache/x .\n");
    write(root, "docs/notes.md", "See the reference in {WORK}/{SHARED}/docs/design.md.\n");

    Run run = check(root);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output())
        .contains("src/test/java/a/ReferenceTest.java:2: reads the sibling folder")
        .contains("src/test/java/a/ReferenceTest.java:3: Path.of(")
        .contains("src/test/java/a/ReferenceTest.java:4: .resolve(")
        .contains("src/test/java/a/ReferenceTest.java: walks up from the working directory")
        .contains("scripts/lib/x.sh:1: path")
        .contains("scripts/y.sh:1: path")
        .contains("pom.xml:1: path")
        .contains("test-env/kube/go.mod:1: path")
        .contains(".github/workflows/ci.yml:1: names an absolute path of the original workspace")
        .contains("docs/notes.md:1: names an absolute path of the original workspace")
        .contains("docs/notes.md:1: names the workspace's shared reference folder");
  }
}

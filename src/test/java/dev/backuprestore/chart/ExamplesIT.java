package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example is accepted by a real apiserver with the generated CRDs (strict field checks). */
class ExamplesIT {
  private static Kubectl kubectl;

  @BeforeAll
  static void installCrds() throws IOException {
    kubectl = new Kubectl(LocalControlPlane.shared());
    StringBuilder crds = new StringBuilder();
    try (Stream<Path> files = Files.list(Path.of("crds"))) {
      for (Path file : files.sorted().toList()) {
        crds.append(Files.readString(file)).append("\n---\n");
      }
    }
    ClusterFixtures.installCrds(kubectl, crds.toString());
    ClusterFixtures.ensureOperatorNamespace(kubectl);
  }

  static Stream<Path> examples() throws IOException {
    return ExamplesTest.examples();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsAccepted(Path example) {
    String file = example.toString();
    try {
      String applied = kubectl.run("apply", "--validate=strict", "-f", file);
      int objects = RenderedManifests.parse(example).all().size();

      assertThat(applied.lines().filter(line -> line.endsWith(" created"))).hasSize(objects);
      String stored = kubectl.run("get", "-f", file, "-o", "name");
      assertThat(stored.lines()).hasSize(objects);
    } finally {
      kubectl.run("delete", "--ignore-not-found", "--wait=false", "-f", file);
    }
  }
}

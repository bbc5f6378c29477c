package dev.backuprestore.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The build generates the CRDs into target/ only (a read-only checkout builds); the repository
 * commits copies in crds/ (for kubectl apply) and in the CRD chart's templates/ (so that helm
 * upgrade updates them). Both must be exactly what the build generates from api.v1 and
 * api.etcd.v1alpha1.
 */
class CommittedCrdsTest {
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  private static final List<String> FILES =
      List.of(
          "backups.resources.cattle.io-v1.yml",
          "restores.resources.cattle.io-v1.yml",
          "resourcesets.resources.cattle.io-v1.yml",
          "etcdsnapshots.etcd.backuprestore.dev-v1.yml",
          "etcdsnapshotfiles.etcd.backuprestore.dev-v1.yml",
          "etcdrestores.etcd.backuprestore.dev-v1.yml");

  @ParameterizedTest
  @ValueSource(strings = {"crds", "charts/backup-restore-operator-crd/templates"})
  void committedCopiesAreTheGeneratedCrds(String directory) throws IOException {
    Path committed = Path.of(directory);
    try (Stream<Path> files = Files.list(committed)) {
      assertThat(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(name -> name.endsWith(".yml") || name.endsWith(".yaml")))
          .as("CRD files in %s", directory)
          .containsExactlyInAnyOrderElementsOf(FILES);
    }
    for (String name : FILES) {
      assertThat(committed.resolve(name))
          .as(
              "%s/%s differs from the CRD generated from api.v1: run scripts/update-crds.sh and"
                  + " commit the result",
              directory, name)
          .hasSameTextualContentAs(GENERATED.resolve(name));
    }
  }
}

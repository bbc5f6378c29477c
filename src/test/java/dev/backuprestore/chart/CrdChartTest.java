package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.CRD_CHART;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD chart holds the build's generated CRDs (crds/, copied by maven-resources-plugin) in its
 * templates/, so that helm upgrade updates them, and renders them unchanged.
 */
class CrdChartTest {
  private static final Path GENERATED = Path.of("crds");
  private static final Path TEMPLATES = CRD_CHART.resolve("templates");

  private static List<String> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".yml") || name.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }

  @Test
  void chartTemplatesAreTheGeneratedCrdsByteForByte() throws IOException {
    List<String> generated = yamlFiles(GENERATED);

    assertThat(generated).hasSizeGreaterThanOrEqualTo(3);
    assertThat(yamlFiles(TEMPLATES)).containsExactlyElementsOf(generated);
    for (String name : generated) {
      assertThat(TEMPLATES.resolve(name))
          .as("%s is copied by the build; run ./mvnw process-classes and commit it", name)
          .hasSameBinaryContentAs(GENERATED.resolve(name));
    }
  }

  @Test
  void chartRendersEveryGeneratedCrdClusterScoped() throws IOException {
    RenderedManifests manifests = RenderedManifests.parse(Helm.located().template(CRD_CHART, ""));

    // <plural>.<group>-v1.yml is the CRD <plural>.<group>
    List<String> expected =
        yamlFiles(GENERATED).stream().map(f -> f.substring(0, f.lastIndexOf('-'))).toList();
    assertThat(expected)
        .contains(
            "backups.resources.cattle.io",
            "restores.resources.cattle.io",
            "resourcesets.resources.cattle.io",
            "etcdsnapshots.etcd.backuprestore.dev",
            "etcdsnapshotfiles.etcd.backuprestore.dev");
    assertThat(manifests.all(CustomResourceDefinition.class))
        .hasSize(manifests.all().size())
        .extracting(crd -> crd.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(manifests.all(CustomResourceDefinition.class))
        .allSatisfy(crd -> assertThat(crd.getSpec().getScope()).isEqualTo("Cluster"));
  }

  @Test
  void helmUninstallKeepsTheCrdsAndSoEveryBackupRestoreAndResourceSet() {
    RenderedManifests manifests = RenderedManifests.parse(Helm.located().template(CRD_CHART, ""));

    assertThat(manifests.all(CustomResourceDefinition.class))
        .hasSize(manifests.all().size())
        .isNotEmpty()
        .allSatisfy(
            crd ->
                assertThat(crd.getMetadata().getAnnotations())
                    .containsEntry("helm.sh/resource-policy", "keep"));
  }
}

package dev.backuprestore.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the CRDs generated from {@code api.v1} (the committed {@code crds/}, refreshed by every
 * build) with Rancher's, leaf by leaf: every property path, type, format, required list, default,
 * minimum/maximum, nullable, enum, list and map types, example, printer columns, names, scope,
 * versions and subresources, and the order of the printer columns (kubectl's). Any difference not
 * in {@link #ACCEPTED} fails the test.
 */
class CrdSchemaCompatibilityTest {
  private static final String SCHEMA = "spec.versions[v1].schema.openAPIV3Schema";
  private static final List<String> PLURALS = List.of("backups", "restores", "resourcesets");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A difference we accept on purpose, matched on its path and on both values. */
  record Accepted(String path, String rancherValue, String ourValue, String reason) {
    boolean matches(Difference d) {
      return fullMatch(path, d.path())
          && fullMatch(rancherValue, d.rancher())
          && fullMatch(ourValue, d.ours());
    }

    private static boolean fullMatch(String regex, String value) {
      // DOTALL: descriptions span several lines.
      return Pattern.compile(regex, Pattern.DOTALL).matcher(value).matches();
    }
  }

  record Difference(String crd, String path, String rancher, String ours) {
    @Override
    public String toString() {
      return crd + ": " + path + "\n    rancher: " + rancher + "\n    ours:    " + ours;
    }
  }

  static final List<Accepted> ACCEPTED =
      List.of(
          new Accepted(
              ".*\\.description",
              ".*",
              ".*",
              "Descriptions are our own wording (and are given where Rancher has none)."),
          new Accepted(
              "metadata\\.annotations\\.controller-gen\\.kubebuilder\\.io/version",
              ".*",
              CrdFlattener.ABSENT,
              "Rancher records its generator, controller-gen; it has no effect."),
          new Accepted(
              "spec\\.names\\.listKind",
              "(Backup|Restore|ResourceSet)List",
              CrdFlattener.ABSENT,
              "fabric8 does not write listKind; the apiserver defaults it to <kind>List, the"
                  + " same value."),
          new Accepted(
              Pattern.quote(SCHEMA) + "\\.properties\\.(apiVersion|kind|metadata)\\.type",
              "string|object",
              CrdFlattener.ABSENT,
              "fabric8 leaves out the standard apiVersion, kind and metadata properties; the"
                  + " apiserver always accepts and validates them itself."),
          new Accepted(
              "spec\\.versions\\[v1\\]\\.additionalPrinterColumns\\[.*\\]\\.priority",
              CrdFlattener.ABSENT,
              "0",
              "fabric8 writes the default priority 0 explicitly."));

  @ParameterizedTest
  @ValueSource(strings = {"backups", "restores", "resourcesets"})
  void generatedCrdMatchesRancherExceptForAcceptedDifferences(String plural) throws IOException {
    List<Difference> unexpected =
        differences(plural).stream()
            .filter(d -> ACCEPTED.stream().noneMatch(a -> a.matches(d)))
            .toList();

    assertThat(unexpected)
        .as("differences from Rancher's %s CRD that are not accepted", plural)
        .isEmpty();
  }

  @Test
  void everyAcceptedDifferenceStillOccurs() throws IOException {
    List<Difference> all = new ArrayList<>();
    for (String plural : PLURALS) {
      all.addAll(differences(plural));
    }

    List<String> stale =
        ACCEPTED.stream()
            .filter(a -> all.stream().noneMatch(a::matches))
            .map(Accepted::reason)
            .toList();

    assertThat(stale).as("accepted differences that no longer occur; remove them").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"backups", "restores"})
  void printerColumnsComeInRancherOrder(String plural) throws IOException {
    // kubectl get shows the columns in this order; the build keeps the annotations' order, which
    // the CRD generator on its own would sort by jsonPath.
    assertThat(printerColumnNames(ourCrd(plural)))
        .isNotEmpty()
        .containsExactlyElementsOf(printerColumnNames(rancherCrd(plural)));
  }

  @Test
  void theComparisonSeesTheFieldsOfTheContract() throws IOException {
    // Guards the comparison itself: if flattening lost these leaves, "no difference" would mean
    // nothing.
    SortedMap<String, String> backups = flatten(ourCrd("backups"));
    String spec = SCHEMA + ".properties.spec.properties.";
    assertThat(backups)
        .containsEntry("spec.scope", "Cluster")
        .containsEntry(spec + "retentionCount.minimum", "1")
        .containsEntry(spec + "retentionCount.format", "int64")
        .containsEntry(
            spec
                + "storageLocation.properties.s3.properties.clientConfig.properties.aws"
                + ".properties.dualStack.default",
            "true")
        .containsEntry(SCHEMA + ".required", "[spec]")
        .containsEntry("spec.versions[v1].subresources.status", "{}");
    SortedMap<String, String> restores = flatten(ourCrd("restores"));
    assertThat(restores)
        .containsEntry(spec + "prune.default", "true")
        .containsEntry(spec + "deleteTimeoutSeconds.maximum", "10");
    SortedMap<String, String> resourceSets = flatten(ourCrd("resourcesets"));
    assertThat(resourceSets)
        .containsEntry(SCHEMA + ".properties.resourceSelectors.default", "[]")
        .containsEntry(SCHEMA + ".properties.controllerReferences.default", "[]")
        .containsEntry(SCHEMA + ".required", "[resourceSelectors]")
        .containsEntry("spec.versions[v1].subresources.status", "{}")
        .doesNotContainKeys(SCHEMA + ".properties.spec.type", SCHEMA + ".properties.status.type");
  }

  @Test
  void everyPropertyOfOurSchemasHasADescription() throws IOException {
    List<String> undocumented = new ArrayList<>();
    for (String plural : PLURALS) {
      SortedMap<String, String> leaves = flatten(ourCrd(plural));
      leaves.keySet().stream()
          .filter(p -> p.startsWith(SCHEMA + ".properties."))
          .map(CrdSchemaCompatibilityTest::propertyPathOf)
          .filter(p -> !p.equals(SCHEMA + ".properties.spec"))
          .filter(p -> !p.equals(SCHEMA + ".properties.status"))
          .distinct()
          .filter(p -> !leaves.containsKey(p + ".description"))
          .forEach(p -> undocumented.add(plural + ": " + p));
    }

    assertThat(undocumented).as("properties without a description").isEmpty();
  }

  @Test
  void crdsDirectoryHoldsExactlyTheGeneratedCrds() throws IOException {
    Path generated = RancherReferenceData.projectRoot().resolve("target/classes/META-INF/fabric8");
    Set<String> generatedNames;
    try (Stream<Path> files = Files.list(generated)) {
      generatedNames = files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    }
    // Rancher's three, plus the project's own groups (etcd.backuprestore.dev).
    assertThat(generatedNames)
        .contains(
            "backups.resources.cattle.io-v1.yml",
            "restores.resources.cattle.io-v1.yml",
            "resourcesets.resources.cattle.io-v1.yml");
    try (Stream<Path> files = Files.list(crdsDir())) {
      assertThat(files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(generatedNames);
    }
    for (String name : generatedNames) {
      assertThat(crdsDir().resolve(name)).hasSameTextualContentAs(generated.resolve(name));
    }
  }

  /** The path of the property that a leaf belongs to: up to the last "properties.<name>". */
  private static String propertyPathOf(String leaf) {
    int start = leaf.lastIndexOf(".properties.");
    int end = leaf.indexOf('.', start + ".properties.".length());
    return end < 0 ? leaf : leaf.substring(0, end);
  }

  private static List<String> printerColumnNames(JsonNode crd) {
    List<String> names = new ArrayList<>();
    crd.at("/spec/versions/0/additionalPrinterColumns")
        .forEach(column -> names.add(column.get("name").asText()));
    return names;
  }

  private static List<Difference> differences(String plural) throws IOException {
    SortedMap<String, String> rancher = flatten(rancherCrd(plural));
    SortedMap<String, String> ours = flatten(ourCrd(plural));
    TreeSet<String> paths = new TreeSet<>(rancher.keySet());
    paths.addAll(ours.keySet());
    List<Difference> differences = new ArrayList<>();
    for (String path : paths) {
      String r = rancher.getOrDefault(path, CrdFlattener.ABSENT);
      String o = ours.getOrDefault(path, CrdFlattener.ABSENT);
      if (!r.equals(o)) {
        differences.add(new Difference(plural, path, r, o));
      }
    }
    return differences;
  }

  private static SortedMap<String, String> flatten(JsonNode crd) {
    return CrdFlattener.flatten(crd);
  }

  private static Path crdsDir() {
    return RancherReferenceData.projectRoot().resolve("crds");
  }

  private static JsonNode ourCrd(String plural) throws IOException {
    return YAML.readTree(crdsDir().resolve(plural + ".resources.cattle.io-v1.yml").toFile());
  }

  private static JsonNode rancherCrd(String plural) throws IOException {
    Path file = RancherReferenceData.dir("crds").resolve("resources.cattle.io_" + plural + ".yaml");
    return YAML.readTree(file.toFile());
  }
}

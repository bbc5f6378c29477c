package dev.backuprestore.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backuprestore.testing.RancherReferenceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The YAML stubs of Rancher's collector unit tests ({@code pkg/resourcesets/testdata/*.yaml} of
 * rancher/backup-restore-operator, vendored under {@code src/test/resources/rancher/}), so that our
 * filters are checked against the same vectors.
 */
final class RancherCollectorTestData {
  private RancherCollectorTestData() {}

  /** The documents of {@code <stub>.yaml}, e.g. {@code load("pets01")}. */
  static List<ObjectNode> load(String stub) {
    String yaml = RancherReferenceData.text("collector-testdata/" + stub + ".yaml");
    List<ObjectNode> objects = new ArrayList<>();
    try (var documents = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        if (documents.next() instanceof ObjectNode object) {
          objects.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }
}

package dev.backuprestore.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Multi-document YAML (the output of {@code helm template}, an example file) parsed into typed
 * fabric8 objects and our Backup, Restore and ResourceSet, so that tests assert on fields rather
 * than on text. Our kinds are read strictly: a field that the API types do not have fails the
 * parse.
 */
final class RenderedManifests {
  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final List<HasMetadata> objects;

  private RenderedManifests(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  static RenderedManifests parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        objects.add(toObject(document));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered manifests are not YAML", e);
    }
    return new RenderedManifests(objects);
  }

  private static HasMetadata toObject(JsonNode document) throws IOException {
    boolean ours = document.path("apiVersion").asText().equals("resources.cattle.io/v1");
    switch (ours ? document.path("kind").asText() : "") {
      case "ResourceSet" -> {
        for (JsonNode selector : document.path("resourceSelectors")) {
          STRICT.treeToValue(selector, ResourceSelector.class);
        }
        return SERIALIZATION.convertValue(document, ResourceSet.class);
      }
      case "Backup" -> {
        STRICT.treeToValue(document.path("spec"), BackupSpec.class);
        return SERIALIZATION.convertValue(document, Backup.class);
      }
      case "Restore" -> {
        STRICT.treeToValue(document.path("spec"), RestoreSpec.class);
        return SERIALIZATION.convertValue(document, Restore.class);
      }
      default -> {
        // handled below
      }
    }
    // Built-in kinds become their fabric8 classes; others (ServiceMonitor, ...) generic resources.
    return SERIALIZATION.unmarshal(YAML.writeValueAsString(document));
  }

  static RenderedManifests parse(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<HasMetadata> all() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The only object of this type and name; fails when it is missing or repeated. */
  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> matches =
        all(type).stream().filter(o -> Objects.equals(o.getMetadata().getName(), name)).toList();
    if (matches.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " " + name + ", found " + matches.size());
    }
    return matches.get(0);
  }

  /** The only object of this kind (for kinds without a fabric8 class, e.g. ServiceMonitor). */
  HasMetadata oneOfKind(String kind) {
    List<HasMetadata> matches = ofKind(kind);
    if (matches.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + matches.size());
    }
    return matches.get(0);
  }

  List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  List<String> kinds() {
    return objects.stream().map(HasMetadata::getKind).toList();
  }
}

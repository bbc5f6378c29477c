package dev.backuprestore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveLayout;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.archive.TarGzArchiveWriter;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Archives written by our own writer and cipher, the code path of a backup. */
final class Archives {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Written by src/test/resources/dev/backuprestore/archive/rancher-go-writer.go (encrypted). */
  static final Path RANCHER_ENCRYPTED =
      Path.of("src/test/resources/dev/backuprestore/cli/rancher-encrypted.tar.gz");

  static final Path RANCHER_CONFIG =
      Path.of("src/test/resources/dev/backuprestore/cli/rancher-example-encryption.yaml");

  private final List<ObjectNode> objects = new ArrayList<>();
  private final List<String> resources = new ArrayList<>();
  private String filters;

  Archives add(String resource, ObjectNode object) {
    resources.add(resource);
    objects.add(object);
    return this;
  }

  Archives filters(String json) {
    this.filters = json;
    return this;
  }

  static ObjectNode configMap(String namespace, String name, String key, String value) {
    ObjectNode object = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    object.putObject("metadata").put("name", name).put("namespace", namespace);
    object.putObject("data").put(key, value);
    return object;
  }

  static ObjectNode secret(String namespace, String name, String key, String base64) {
    ObjectNode object = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    object.putObject("metadata").put("name", name).put("namespace", namespace);
    object.putObject("data").put(key, base64);
    object.put("type", "Opaque");
    return object;
  }

  /** Writes the archive, sealing each object with {@code cipher}. */
  Path write(Path file, ObjectCipher cipher) {
    try (OutputStream out = Files.newOutputStream(file);
        TarGzArchiveWriter writer = new TarGzArchiveWriter(out)) {
      if (filters != null) {
        writer.writeFilters(filters.getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 0; i < objects.size(); i++) {
        ObjectNode object = objects.get(i);
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.split("/")[0] : "";
        String version = apiVersion.contains("/") ? apiVersion.split("/")[1] : apiVersion;
        String namespace = object.path("metadata").path("namespace").asText(null);
        String name = object.path("metadata").path("name").asText();
        ObjectPath path = ArchiveLayout.object(group, version, resources.get(i), namespace, name);
        writer.writeObject(
            path,
            cipher.seal(group, resources.get(i), namespace, name, JSON.writeValueAsBytes(object)));
      }
      writer.finish();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectCipher cipher(Path config) {
    try {
      return ObjectCipher.of(EncryptionConfig.parse(Files.readAllBytes(config)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path config(Path directory, String provider, String keyName, String secret) {
    String yaml =
        """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: ["secrets"]
            providers:
              - %s:
                  keys:
                    - name: %s
                      secret: %s
        """
            .formatted(provider, keyName, secret);
    try {
      return Files.writeString(directory.resolve(provider + "-" + keyName + ".yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String filtersFor(String namespace) {
    return """
        {"metadata":{"name":"test-set"},"resourceSelectors":[{"apiVersion":"v1",\
        "kindsRegexp":"^(configmaps|secrets)$","namespaces":["%s"]}],"controllerReferences":[]}"""
        .formatted(namespace);
  }
}

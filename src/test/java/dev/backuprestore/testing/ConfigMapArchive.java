package dev.backuprestore.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveLayout;
import dev.backuprestore.archive.TarGzArchiveWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a backup archive of many ConfigMaps straight into a directory (the operator's local store)
 * with the production {@link TarGzArchiveWriter}, without creating and backing up the objects
 * first: what a restore test of thousands of objects starts from. ConfigMap {@code cm-<i>} of
 * {@code namespace} holds {@code value=<value>-<i>}; the filters select the namespace's ConfigMaps.
 */
public final class ConfigMapArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigMapArchive() {}

  /** Writes {@code directory/fileName} and returns {@code fileName}. */
  public static String write(
      Path directory, String fileName, String namespace, int count, String value) {
    return write(directory, fileName, namespace, count, value, "value");
  }

  /**
   * As {@link #write(Path, String, String, int, String)}, with the value under {@code dataKey}: a
   * key the API server refuses (e.g. "not a valid key!") gives objects that fail to restore (422).
   */
  public static String write(
      Path directory, String fileName, String namespace, int count, String value, String dataKey) {
    try (OutputStream out = Files.newOutputStream(directory.resolve(fileName));
        TarGzArchiveWriter writer = new TarGzArchiveWriter(out)) {
      writer.writeFilters(
          ("{\"metadata\":{\"name\":\"faults\"},\"resourceSelectors\":[{\"apiVersion\":\"v1\","
                  + "\"kindsRegexp\":\"^configmaps$\",\"namespaceRegexp\":\"^"
                  + namespace
                  + "$\"}]}")
              .getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < count; i++) {
        String name = name(i);
        ObjectNode object = JSON.createObjectNode();
        object.put("apiVersion", "v1").put("kind", "ConfigMap");
        object.putObject("metadata").put("name", name).put("namespace", namespace);
        object.putObject("data").put(dataKey, value(value, i));
        writer.writeObject(
            ArchiveLayout.object("", "v1", "configmaps", namespace, name),
            JSON.writeValueAsBytes(object));
      }
      writer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fileName;
  }

  public static String name(int i) {
    return "cm-" + i;
  }

  /** The value ConfigMap {@code i} holds in an archive written with {@code value}. */
  public static String value(String value, int i) {
    return value + "-" + i;
  }
}

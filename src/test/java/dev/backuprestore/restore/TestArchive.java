package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveLayout;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.archive.TarGzArchiveWriter;
import dev.backuprestore.crypto.ObjectCipher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds backup archives for tests: valid ones through the production {@link TarGzArchiveWriter}
 * (optionally sealing objects with a cipher), and {@link #rawTarGz} for entries the writer refuses
 * (unsafe paths, empty bodies).
 */
final class TestArchive {
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private ObjectCipher cipher = ObjectCipher.none();

  TestArchive sealedWith(ObjectCipher cipher) {
    this.cipher = cipher;
    return this;
  }

  /** Adds an object at the path its apiVersion, kind-derived plural and metadata give. */
  TestArchive add(String resource, ObjectNode object) {
    String[] groupVersion = Json.groupVersion(object.path("apiVersion").asText());
    ObjectNode metadata = (ObjectNode) object.path("metadata");
    String namespace = metadata.has("namespace") ? metadata.path("namespace").asText() : null;
    ObjectPath path =
        ArchiveLayout.object(
            groupVersion[0], groupVersion[1], resource, namespace, metadata.path("name").asText());
    byte[] json = ArchiveJson.write(object);
    files.put(
        path.path(),
        cipher.seal(path.group(), path.resource(), path.namespace(), path.name(), json));
    return this;
  }

  TestArchive file(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  TestArchive file(String path, byte[] content) {
    files.put(path, content);
    return this;
  }

  TestArchive filters(String json) {
    return file(ArchiveLayout.FILTERS_FILE, json);
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarGzArchiveWriter writer = new TarGzArchiveWriter(out)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        writer.writeFile(file.getKey(), file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  Supplier<InputStream> supplier() {
    byte[] bytes = bytes();
    return () -> new ByteArrayInputStream(bytes);
  }

  /** One tar entry as given: no checks, so tests can write what no writer should. */
  record RawEntry(String name, byte[] content, byte type) {
    static RawEntry file(String name, String content) {
      return new RawEntry(name, content.getBytes(StandardCharsets.UTF_8), (byte) '0');
    }

    static RawEntry directory(String name) {
      return new RawEntry(name, new byte[0], (byte) '5');
    }
  }

  static byte[] rawTarGz(List<RawEntry> entries) {
    return gzip(rawTar(entries));
  }

  static byte[] rawTar(List<RawEntry> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (RawEntry raw : entries) {
        TarArchiveEntry entry = new TarArchiveEntry(raw.name(), raw.type(), true);
        entry.setSize(raw.type() == '5' ? 0 : raw.content().length);
        tar.putArchiveEntry(entry);
        tar.write(raw.content());
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static List<RawEntry> entries(RawEntry... entries) {
    return new ArrayList<>(List.of(entries));
  }
}

package dev.backuprestore.etcd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;

/**
 * {@code manifest.json}, the last entry of a snapshot zip: the size and sha256 of every other
 * entry, so a reader can verify each entry on its own (the zip's CRC32 does not detect tampering).
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param entries the entries before the manifest, in zip order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotManifest(int formatVersion, List<Entry> entries) {
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * @param name the entry name
   * @param size uncompressed size in bytes
   * @param sha256 hex sha256 of the uncompressed bytes
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(String name, long size, String sha256) {}

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a snapshot manifest", e);
    }
  }

  static SnapshotManifest fromJson(byte[] json, String what) {
    SnapshotManifest manifest;
    try {
      manifest = JSON.readValue(json, SnapshotManifest.class);
    } catch (JsonProcessingException e) {
      throw new EtcdSnapshotFormatException(
          what + ": manifest.json is not valid: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new EtcdSnapshotFormatException(what + ": cannot read manifest.json", e);
    }
    if (manifest == null || manifest.formatVersion() != FORMAT_VERSION) {
      throw new EtcdSnapshotFormatException(
          what + ": manifest.json has an unsupported format version");
    }
    if (manifest.entries() == null) {
      throw new EtcdSnapshotFormatException(what + ": manifest.json lists no entries");
    }
    return manifest;
  }
}

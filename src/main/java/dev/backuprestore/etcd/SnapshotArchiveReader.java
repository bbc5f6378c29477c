package dev.backuprestore.etcd;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads a snapshot zip, ours or RKE's, and trusts nothing in it. {@link #open} checks the zip's
 * sha256 (against an expected value when one is given), the entry names and the manifest's small
 * entries; {@link #extractSnapshot} writes the etcd snapshot out and verifies its manifest sha256
 * and its trailer while it streams.
 *
 * <p>Accepted entry names: ours ({@code <name>}, {@code <name>.state.json}, {@code manifest.json})
 * and RKE's ({@code backup/<name>} and {@code etc/kubernetes/<name>.rkestate}, with or without a
 * leading {@code /}, since rke-tools writes absolute container paths). Rejected: any other absolute
 * path, {@code ..} or {@code .} segments, backslashes, control characters, duplicates, links,
 * directories and unknown entries.
 */
public final class SnapshotArchiveReader implements Closeable {
  private static final String RKE_DB_DIR = "backup/";
  private static final String RKE_STATE_DIR = "etc/kubernetes/";
  private static final String RKE_STATE_SUFFIX = ".rkestate";

  private final Path zipPath;
  private final ZipFile zip;
  private final String zipSha256;
  private final String snapshotName;
  private final ZipArchiveEntry dbEntry;
  private final ZipArchiveEntry stateEntry;
  private final ZipArchiveEntry rkeStateEntry;
  private final Map<String, SnapshotManifest.Entry> manifest;

  private SnapshotArchiveReader(
      Path zipPath,
      ZipFile zip,
      String zipSha256,
      String snapshotName,
      ZipArchiveEntry dbEntry,
      ZipArchiveEntry stateEntry,
      ZipArchiveEntry rkeStateEntry,
      Map<String, SnapshotManifest.Entry> manifest) {
    this.zipPath = zipPath;
    this.zip = zip;
    this.zipSha256 = zipSha256;
    this.snapshotName = snapshotName;
    this.dbEntry = dbEntry;
    this.stateEntry = stateEntry;
    this.rkeStateEntry = rkeStateEntry;
    this.manifest = manifest;
  }

  /**
   * Opens and validates a snapshot zip.
   *
   * @param expectedSha256 hex sha256 the whole zip must have, or null to skip that check
   * @throws EtcdSnapshotFormatException naming the file (and entry) when anything is wrong
   */
  public static SnapshotArchiveReader open(Path zipPath, String expectedSha256) throws IOException {
    String what = "snapshot zip " + zipPath.getFileName();
    String sha256;
    try {
      sha256 = fileSha256(zipPath);
    } catch (NoSuchFileException e) {
      throw new EtcdSnapshotFormatException(what + ": no such file " + zipPath, e);
    }
    if (expectedSha256 != null
        && !expectedSha256.isBlank()
        && !expectedSha256.trim().toLowerCase(Locale.ROOT).equals(sha256)) {
      throw new EtcdSnapshotFormatException(
          what + ": sha256 " + sha256 + " differs from the expected " + expectedSha256.trim());
    }
    ZipFile zip;
    try {
      zip = ZipFile.builder().setPath(zipPath).get();
    } catch (IOException e) {
      throw new EtcdSnapshotFormatException(
          what + ": not a readable zip (truncated or corrupt): " + e.getMessage(), e);
    }
    try {
      return validate(zipPath, zip, sha256, what);
    } catch (RuntimeException | IOException e) {
      zip.close();
      throw e;
    }
  }

  private static SnapshotArchiveReader validate(
      Path zipPath, ZipFile zip, String sha256, String what) throws IOException {
    Map<String, ZipArchiveEntry> byName = new LinkedHashMap<>();
    for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
      String raw = entry.getName();
      String name = normalize(raw, what);
      if (entry.isDirectory() || entry.isUnixSymlink()) {
        throw forEntry(what, raw, "directories and links are not allowed");
      }
      if (byName.putIfAbsent(name, entry) != null) {
        throw forEntry(what, raw, "appears more than once");
      }
    }
    ZipArchiveEntry manifestEntry = byName.remove(SnapshotNames.MANIFEST);
    String dbName = null;
    ZipArchiveEntry db = null;
    Map<String, ZipArchiveEntry> rest = new HashMap<>();
    for (Map.Entry<String, ZipArchiveEntry> e : byName.entrySet()) {
      String name = e.getKey();
      boolean side =
          name.endsWith(SnapshotNames.STATE_SUFFIX)
              || (name.startsWith(RKE_STATE_DIR) && name.endsWith(RKE_STATE_SUFFIX));
      if (side) {
        rest.put(name, e.getValue());
        continue;
      }
      String candidate = name.startsWith(RKE_DB_DIR) ? name.substring(RKE_DB_DIR.length()) : name;
      if (SnapshotNames.parse(candidate).isEmpty() || candidate.contains("/")) {
        throw forEntry(what, e.getValue().getName(), "is not a snapshot entry name");
      }
      if (db != null) {
        throw forEntry(
            what, e.getValue().getName(), "is a second snapshot entry (first: " + dbName + ")");
      }
      dbName = candidate;
      db = e.getValue();
    }
    if (db == null) {
      throw new EtcdSnapshotFormatException(what + ": holds no etcd snapshot entry");
    }
    ZipArchiveEntry state = rest.remove(SnapshotNames.stateEntryName(dbName));
    ZipArchiveEntry rkeState = rest.remove(RKE_STATE_DIR + dbName + RKE_STATE_SUFFIX);
    if (!rest.isEmpty()) {
      ZipArchiveEntry stray = rest.values().iterator().next();
      throw forEntry(what, stray.getName(), "does not belong to snapshot " + dbName);
    }
    Map<String, SnapshotManifest.Entry> listed = new HashMap<>();
    SnapshotArchiveReader reader =
        new SnapshotArchiveReader(zipPath, zip, sha256, dbName, db, state, rkeState, listed);
    if (manifestEntry != null) {
      SnapshotManifest parsed = SnapshotManifest.fromJson(reader.readSmall(manifestEntry), what);
      for (SnapshotManifest.Entry entry : parsed.entries()) {
        if (entry == null || entry.name() == null || listed.put(entry.name(), entry) != null) {
          throw new EtcdSnapshotFormatException(what + ": manifest.json lists an entry twice");
        }
      }
      List<ZipArchiveEntry> present = new ArrayList<>();
      present.add(db);
      if (state != null) {
        present.add(state);
      }
      if (rkeState != null) {
        present.add(rkeState);
      }
      for (ZipArchiveEntry entry : present) {
        if (!listed.containsKey(entry.getName())) {
          throw forEntry(what, entry.getName(), "is not listed in manifest.json");
        }
      }
      if (listed.size() != present.size()) {
        throw new EtcdSnapshotFormatException(
            what + ": manifest.json lists entries the zip does not hold");
      }
      for (ZipArchiveEntry entry : present) {
        if (entry != db) {
          byte[] bytes = reader.readSmall(entry);
          reader.checkListed(entry, bytes.length, SnapshotArchiveWriter.sha256Hex(bytes));
        }
      }
    }
    return reader;
  }

  /** The name a zip entry stands for, after RKE's leading {@code /} is dropped. */
  private static String normalize(String raw, String what) {
    if (raw.isEmpty()) {
      throw forEntry(what, raw, "has an empty name");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isISOControl(c) || c == '\\') {
        throw forEntry(what, raw, "has a control character or backslash in its name");
      }
    }
    String name = raw;
    if (name.startsWith("/")) {
      String relative = name.substring(1);
      if (!relative.startsWith(RKE_DB_DIR) && !relative.startsWith(RKE_STATE_DIR)) {
        throw forEntry(what, raw, "is an absolute path");
      }
      name = relative;
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw forEntry(what, raw, "has an empty, '.' or '..' path segment");
      }
    }
    return name;
  }

  private static EtcdSnapshotFormatException forEntry(String what, String entry, String reason) {
    return new EtcdSnapshotFormatException(
        what + ": entry '" + EtcdSnapshotFormatException.printable(entry) + "' " + reason);
  }

  /** The snapshot name (the etcd snapshot entry's base name). */
  public String snapshotName() {
    return snapshotName;
  }

  /** Hex sha256 of the whole zip file. */
  public String zipSha256() {
    return zipSha256;
  }

  /** Whether the zip has our {@code manifest.json} (RKE's zips do not). */
  public boolean hasManifest() {
    return !manifest.isEmpty();
  }

  /** The cluster state file, when the zip has one. */
  public Optional<ClusterState> state() throws IOException {
    if (stateEntry == null) {
      return Optional.empty();
    }
    return Optional.of(
        ClusterState.fromJson(readSmall(stateEntry), what() + ": entry " + stateEntry.getName()));
  }

  /** RKE's {@code .rkestate} entry (certificates and keys of an RKE1 cluster), when present. */
  public Optional<byte[]> rkeState() throws IOException {
    return rkeStateEntry == null ? Optional.empty() : Optional.of(readSmall(rkeStateEntry));
  }

  /**
   * Writes the etcd snapshot to {@code target} (created or replaced) and verifies the manifest
   * sha256 and the trailer while it streams. On any failure {@code target} is deleted.
   *
   * @throws EtcdSnapshotFormatException when the entry is corrupt
   */
  public SnapshotTrailer.Verified extractSnapshot(Path target) throws IOException {
    boolean ok = false;
    try (OutputStream out =
        Files.newOutputStream(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      SnapshotTrailer.Verified verified = streamSnapshot(out);
      ok = true;
      return verified;
    } finally {
      if (!ok) {
        Files.deleteIfExists(target);
      }
    }
  }

  /** Verifies the snapshot entry without writing it anywhere. */
  public SnapshotTrailer.Verified verifySnapshot() throws IOException {
    return streamSnapshot(OutputStream.nullOutputStream());
  }

  private SnapshotTrailer.Verified streamSnapshot(OutputStream out) throws IOException {
    String entryWhat = what() + ": entry " + dbEntry.getName();
    SnapshotTrailer.Check check = new SnapshotTrailer.Check(entryWhat);
    try (InputStream in = zip.getInputStream(dbEntry)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        check.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      if (e instanceof java.nio.file.FileSystemException) {
        throw e;
      }
      throw new EtcdSnapshotFormatException(entryWhat + ": cannot be read: " + e.getMessage(), e);
    }
    SnapshotTrailer.Verified verified = check.finish();
    checkListed(dbEntry, verified.size(), verified.fileSha256());
    return verified;
  }

  private void checkListed(ZipArchiveEntry entry, long size, String sha256) {
    SnapshotManifest.Entry listed = manifest.get(entry.getName());
    if (listed == null) {
      return;
    }
    if (listed.size() != size || !sha256.equalsIgnoreCase(String.valueOf(listed.sha256()))) {
      throw new EtcdSnapshotFormatException(
          what()
              + ": entry "
              + entry.getName()
              + " does not match manifest.json (size "
              + size
              + ", sha256 "
              + sha256
              + "; manifest: size "
              + listed.size()
              + ", sha256 "
              + listed.sha256()
              + ")");
    }
  }

  /** Small entries (state, manifest) are read into memory, bounded. */
  private byte[] readSmall(ZipArchiveEntry entry) throws IOException {
    final int limit = 16 * 1024 * 1024;
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw forEntry(what(), entry.getName(), "is larger than 16 MiB");
      }
      return bytes;
    } catch (EtcdSnapshotFormatException e) {
      throw e;
    } catch (IOException e) {
      throw forEntry(what(), entry.getName(), "cannot be read: " + e.getMessage());
    }
  }

  private String what() {
    return "snapshot zip " + zipPath.getFileName();
  }

  /** Hex sha256 of a file, streamed. */
  public static String fileSha256(Path file) throws IOException {
    MessageDigest digest = SnapshotTrailer.sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}

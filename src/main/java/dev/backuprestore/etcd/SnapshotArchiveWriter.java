package dev.backuprestore.etcd;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a snapshot zip (format in {@code docs/etcd-snapshots.md}): entry {@code <name>} (the raw
 * etcd snapshot with its sha256 trailer), {@code <name>.state.json} and {@code manifest.json}, in
 * this order, Deflate, mtime 0. The snapshot is streamed straight into the zip, never held in
 * memory; its trailer is verified when the entry ends, before anything else is written.
 *
 * <pre>{@code
 * SnapshotArchiveWriter writer = new SnapshotArchiveWriter(out, name);
 * maintenance.snapshot(writer.snapshotStream());
 * SnapshotTrailer.Verified db = writer.finishSnapshot(); // throws on a bad trailer
 * writer.finish(state);                                   // state entry + manifest, closes out
 * }</pre>
 *
 * <p>Deflate level 1: on a 1 GiB database the default level costs about 3 times the CPU for a few
 * percent of size, and the snapshot must not take much longer than etcd's own {@code snapshot
 * save}.
 */
public final class SnapshotArchiveWriter {
  /** Deflate level: speed over the last few percent of size (see the class comment). */
  static final int LEVEL = Deflater.BEST_SPEED;

  private final String name;
  private final ZipOutputStream zip;
  private final List<SnapshotManifest.Entry> entries = new ArrayList<>();
  private SnapshotTrailer.Check check;
  private SnapshotTrailer.Verified verified;
  private boolean finished;

  public SnapshotArchiveWriter(OutputStream out, String name) {
    this(out, name, true);
  }

  /**
   * @param compress false writes the snapshot as stored Deflate blocks (level 0): the same zip
   *     layout for every reader, without the compression CPU, which on a busy node costs more time
   *     than the stream itself (RKE2/K3s do not compress by default either)
   */
  public SnapshotArchiveWriter(OutputStream out, String name, boolean compress) {
    this.name = SnapshotNames.requireValidName(name);
    this.zip = new ZipOutputStream(out);
    zip.setLevel(compress ? LEVEL : Deflater.NO_COMPRESSION);
  }

  /**
   * Starts the snapshot entry. Closing the returned stream does not close the zip; call {@link
   * #finishSnapshot()} after the last byte.
   */
  public OutputStream snapshotStream() throws IOException {
    if (check != null) {
      throw new IllegalStateException("the snapshot entry of " + name + " was already started");
    }
    zip.putNextEntry(entry(name));
    check = new SnapshotTrailer.Check("snapshot " + name);
    OutputStream through = check.tee(zip);
    return new FilterOutputStream(through) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /**
   * Ends the snapshot entry and verifies the trailer.
   *
   * @throws EtcdSnapshotFormatException when the streamed bytes have no valid trailer
   */
  public SnapshotTrailer.Verified finishSnapshot() throws IOException {
    if (check == null) {
      throw new IllegalStateException("the snapshot entry of " + name + " was not started");
    }
    verified = check.finish();
    zip.closeEntry();
    entries.add(new SnapshotManifest.Entry(name, verified.size(), verified.fileSha256()));
    return verified;
  }

  /** Writes the state entry and the manifest and closes the zip (and the underlying stream). */
  public void finish(ClusterState state) throws IOException {
    if (verified == null) {
      throw new IllegalStateException("the snapshot entry of " + name + " was not verified");
    }
    if (finished) {
      throw new IllegalStateException("the zip of " + name + " is already finished");
    }
    byte[] stateJson = state.toJson();
    writeSmallEntry(SnapshotNames.stateEntryName(name), stateJson);
    entries.add(
        new SnapshotManifest.Entry(
            SnapshotNames.stateEntryName(name), stateJson.length, sha256Hex(stateJson)));
    byte[] manifest =
        new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, List.copyOf(entries)).toJson();
    writeSmallEntry(SnapshotNames.MANIFEST, manifest);
    zip.close();
    finished = true;
  }

  private void writeSmallEntry(String entryName, byte[] bytes) throws IOException {
    zip.putNextEntry(entry(entryName));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static ZipEntry entry(String entryName) {
    ZipEntry entry = new ZipEntry(entryName);
    entry.setMethod(ZipEntry.DEFLATED);
    // RKE writes time.Unix(0, 0); the DOS date field clamps it to 1980-01-01.
    entry.setTime(0);
    return entry;
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(SnapshotTrailer.sha256().digest(bytes));
  }
}

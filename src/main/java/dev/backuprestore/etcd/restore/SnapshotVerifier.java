package dev.backuprestore.etcd.restore;

import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.EtcdSnapshotFormatException;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.etcd.SnapshotTrailer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a fetched snapshot zip before anything is touched, in this order: the zip's sha256
 * against every recorded value (they must all agree), the entry names and the manifest ({@link
 * SnapshotArchiveReader}), then the etcd snapshot extracted to {@code <work-dir>/<name>.db} with
 * its sha256 trailer and, when the zip has a state file, the trailer value recorded there.
 */
public final class SnapshotVerifier {

  /**
   * A snapshot that passed every check.
   *
   * @param zipSha256 the sha256 of the zip file, printed so that every node can be shown to hold
   *     the same bytes
   * @param matched the recorded values it was compared with (empty when none was recorded and that
   *     was allowed)
   * @param db the extracted etcd snapshot (trailer intact, as etcdutl wants it)
   * @param state the cluster state file, when the zip has one
   */
  public record Verified(
      String snapshotName,
      Path zip,
      String zipSha256,
      List<ExpectedChecksum> matched,
      Path db,
      SnapshotTrailer.Verified trailer,
      Optional<ClusterState> state) {}

  /**
   * @param given checksums given by the caller ({@code --expect-sha256}, the EtcdSnapshotFile)
   * @param allowUnrecorded go on when no sha256 was recorded anywhere (e.g. a zip RKE wrote); the
   *     entry names, the manifest (if any) and the etcd trailer are still verified
   */
  public Verified verify(
      SnapshotFetcher.Fetched fetched,
      List<ExpectedChecksum> given,
      boolean allowUnrecorded,
      Path workDir) {
    Path zip = fetched.zip();
    List<ExpectedChecksum> expected = new ArrayList<>(given);
    expected.addAll(fetched.recorded());
    if (expected.isEmpty() && !allowUnrecorded) {
      throw refusal(
          "no sha256 was recorded for "
              + zip.getFileName()
              + " (no sidecar "
              + zip.getFileName()
              + ".sha256); pass --expect-sha256 with the value from the EtcdSnapshotFile status or"
              + " the node that saved it, or --allow-unrecorded-checksum to rely on the etcd"
              + " trailer alone");
    }
    Path db = workDir.resolve(fetched.snapshotName() + ".db");
    Path part = workDir.resolve("." + fetched.snapshotName() + ".db.part");
    // open() hashes the whole zip before it parses it: compare that value, rather than hash twice.
    try (SnapshotArchiveReader reader = openChecked(zip, expected)) {
      String sha256 = reader.zipSha256();
      Optional<ClusterState> state = reader.state();
      Files.createDirectories(workDir);
      SnapshotTrailer.Verified trailer = reader.extractSnapshot(part);
      state
          .map(ClusterState::etcd)
          .map(ClusterState.Etcd::dbSha256)
          .filter(
              recorded ->
                  !recorded.isBlank() && !recorded.equalsIgnoreCase(trailer.trailerSha256()))
          .ifPresent(
              recorded -> {
                throw refusal(
                    "snapshot zip "
                        + zip.getFileName()
                        + ": the etcd snapshot's trailer is "
                        + trailer.trailerSha256()
                        + " but its state file recorded "
                        + recorded);
              });
      Files.move(part, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Verified(
          reader.snapshotName(), zip, sha256, List.copyOf(expected), db, trailer, state);
    } catch (EtcdSnapshotFormatException e) {
      deleteQuietly(part);
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.VERIFY, e.getMessage() + "; nothing was touched", e);
    } catch (IOException e) {
      deleteQuietly(part);
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.VERIFY,
          "cannot extract the etcd snapshot of " + zip.getFileName() + " to " + part + ": " + e,
          e);
    } catch (RuntimeException e) {
      deleteQuietly(part);
      throw e;
    }
  }

  /**
   * The checks on the zip alone (recorded sha256s, entry names, manifest), without extracting the
   * etcd snapshot: for {@code verify}, which needs the state file only.
   *
   * @return the state file, empty when the zip has none
   */
  public Optional<ClusterState> verifiedState(
      SnapshotFetcher.Fetched fetched, List<ExpectedChecksum> given, boolean allowUnrecorded) {
    List<ExpectedChecksum> expected = new ArrayList<>(given);
    expected.addAll(fetched.recorded());
    if (expected.isEmpty() && !allowUnrecorded) {
      throw refusal(
          "no sha256 was recorded for "
              + fetched.zip().getFileName()
              + "; pass --expect-sha256 or --allow-unrecorded-checksum");
    }
    try (SnapshotArchiveReader reader = openChecked(fetched.zip(), expected)) {
      return reader.state();
    } catch (EtcdSnapshotFormatException e) {
      throw new EtcdRestoreException(EtcdRestoreException.Step.VERIFY, e.getMessage(), e);
    } catch (IOException e) {
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.VERIFY, "cannot read " + fetched.zip() + ": " + e, e);
    }
  }

  /**
   * Opens the zip and checks its sha256 against every recorded value. A zip that does not even
   * parse is reported as a checksum mismatch when it has one (a truncated or corrupt download),
   * since that says more than the parse error.
   */
  private static SnapshotArchiveReader openChecked(Path zip, List<ExpectedChecksum> expected)
      throws IOException {
    SnapshotArchiveReader reader;
    try {
      reader = SnapshotArchiveReader.open(zip, null);
    } catch (EtcdSnapshotFormatException e) {
      if (!expected.isEmpty()) {
        requireMatch(zip, SnapshotArchiveReader.fileSha256(zip), expected);
      }
      throw e;
    }
    try {
      requireMatch(zip, reader.zipSha256(), expected);
      return reader;
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private static void requireMatch(Path zip, String sha256, List<ExpectedChecksum> expected) {
    for (ExpectedChecksum check : expected) {
      if (!check.sha256().equals(sha256)) {
        throw refusal(
            "snapshot zip "
                + zip.getFileName()
                + " has sha256 "
                + sha256
                + " but "
                + check.sha256()
                + " was recorded in "
                + check.recordedIn()
                + ": these are not the bytes that were saved (corrupt or truncated download, or"
                + " another snapshot); nothing was touched");
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Overwritten by the next run.
    }
  }

  private static EtcdRestoreException refusal(String message) {
    return new EtcdRestoreException(EtcdRestoreException.Step.VERIFY, message);
  }
}

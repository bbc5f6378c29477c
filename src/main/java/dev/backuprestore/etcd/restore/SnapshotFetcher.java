package dev.backuprestore.etcd.restore;

import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotNames;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings the snapshot zip onto this node and collects the sha256 values recorded for it at save
 * time that travel with the file (the {@code <name>.zip.sha256} sidecar next to it, locally or in
 * the store). A download goes to {@code <work-dir>/.<name>.zip.part}, is fsynced and renamed to
 * {@code <work-dir>/<name>.zip}: a killed download never leaves a zip under the real name.
 */
public final class SnapshotFetcher {

  /** The zip on local disk and the checksums recorded next to it. */
  public record Fetched(Path zip, String snapshotName, List<ExpectedChecksum> recorded) {}

  public Fetched fetch(SnapshotSource source, Path workDir) {
    String zipName = source.zipName();
    if (!zipName.endsWith(SnapshotNames.ZIP_SUFFIX)) {
      throw refusal("snapshot " + source.describe() + " is not a .zip file");
    }
    String name = zipName.substring(0, zipName.length() - SnapshotNames.ZIP_SUFFIX.length());
    if (source instanceof SnapshotSource.LocalFile local) {
      return fetchLocal(local, name);
    }
    return download((SnapshotSource.Stored) source, name, workDir);
  }

  private Fetched fetchLocal(SnapshotSource.LocalFile local, String name) {
    Path zip = local.zip();
    if (!Files.isRegularFile(zip)) {
      throw refusal("snapshot zip " + zip + " does not exist or is not a file");
    }
    List<ExpectedChecksum> recorded = new ArrayList<>();
    Path sidecar = zip.resolveSibling(zip.getFileName() + ".sha256");
    if (Files.isRegularFile(sidecar)) {
      try {
        recorded.add(sidecarChecksum(Files.readString(sidecar), name, sidecar.toString()));
      } catch (IOException e) {
        throw refusal("cannot read " + sidecar + ": " + e.getMessage());
      }
    }
    return new Fetched(zip, name, recorded);
  }

  private Fetched download(SnapshotSource.Stored stored, String name, Path workDir) {
    BackupStore store = stored.store();
    String zipName = stored.zipName();
    Path target = workDir.resolve(zipName);
    Path part = workDir.resolve("." + zipName + ".part");
    try {
      Files.createDirectories(workDir);
      try (InputStream in = store.open(zipName);
          OutputStream out =
              Files.newOutputStream(
                  part,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE)) {
        in.transferTo(out);
      }
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      DataDirectories.fsync(workDir);
    } catch (StorageException e) {
      deleteQuietly(part);
      throw refusal("cannot download " + stored.describe() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      deleteQuietly(part);
      throw refusal("cannot download " + stored.describe() + " to " + target + ": " + e, e);
    }
    List<ExpectedChecksum> recorded = new ArrayList<>();
    String sidecarName = SnapshotNames.sidecarName(name);
    Optional<String> sidecar = readSidecar(store, sidecarName);
    sidecar.ifPresent(
        content ->
            recorded.add(sidecarChecksum(content, name, sidecarName + " in " + store.describe())));
    return new Fetched(target, name, recorded);
  }

  private static Optional<String> readSidecar(BackupStore store, String sidecarName) {
    try (InputStream in = store.open(sidecarName)) {
      return Optional.of(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
    } catch (StorageException e) {
      if (e.isPermanent()) {
        return Optional.empty();
      }
      throw refusal("cannot read " + sidecarName + " in " + store.describe() + ": " + e, e);
    } catch (IOException e) {
      throw refusal("cannot read " + sidecarName + " in " + store.describe() + ": " + e, e);
    }
  }

  private static ExpectedChecksum sidecarChecksum(String content, String name, String where) {
    return SnapshotDirectory.parseSidecar(content, name)
        .map(sha -> new ExpectedChecksum(sha, "sidecar " + where))
        .orElseThrow(
            () ->
                refusal(
                    "sidecar "
                        + where
                        + " is not '<sha256>  "
                        + SnapshotNames.zipName(name)
                        + "' (sha256sum format)"));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover .part is overwritten by the next run.
    }
  }

  private static EtcdRestoreException refusal(String message) {
    return new EtcdRestoreException(EtcdRestoreException.Step.FETCH, message);
  }

  private static EtcdRestoreException refusal(String message, Throwable cause) {
    return new EtcdRestoreException(EtcdRestoreException.Step.FETCH, message, cause);
  }
}

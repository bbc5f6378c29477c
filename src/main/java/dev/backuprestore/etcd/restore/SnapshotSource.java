package dev.backuprestore.etcd.restore;

import dev.backuprestore.storage.BackupStore;
import java.nio.file.Path;
import java.util.Objects;

/** Where the snapshot zip comes from: a local file, or a file in a store (S3 or a directory). */
public sealed interface SnapshotSource {

  /** The zip's file name, e.g. {@code rke_etcd_snapshot_2026-12-01T10:00:00Z.zip}. */
  String zipName();

  /** For messages: the path or the store and file. */
  String describe();

  /** A zip on this node's disk; verified in place, never modified. */
  record LocalFile(Path zip) implements SnapshotSource {
    public LocalFile {
      zip = Objects.requireNonNull(zip, "zip").toAbsolutePath().normalize();
    }

    @Override
    public String zipName() {
      return zip.getFileName().toString();
    }

    @Override
    public String describe() {
      return zip.toString();
    }
  }

  /** A zip in a store; downloaded into the work directory first. */
  record Stored(BackupStore store, String zipName) implements SnapshotSource {
    public Stored {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(zipName, "zipName");
    }

    @Override
    public String describe() {
      return zipName + " in " + store.describe();
    }
  }
}

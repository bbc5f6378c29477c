package dev.backuprestore.etcd;

import dev.backuprestore.storage.BackupStore;
import java.util.Map;
import java.util.Objects;

/**
 * One member's snapshot job.
 *
 * @param name the snapshot name (from {@link SnapshotNames})
 * @param endpoint the client URL of the member to stream from (the node's own member)
 * @param nodeName the node this runs on, empty in operator-side mode
 * @param directory where the zip is written (the node's {@code /opt/rke/etcd-snapshots}, or a work
 *     directory in operator-side mode)
 * @param keepLocalCopy false in operator-side mode: the work copy is deleted after the upload
 * @param upload where to upload the zip, or null (only one member uploads)
 * @param localRetention recurring snapshots to keep in {@code directory}; 0 keeps all
 * @param s3Retention recurring snapshots to keep in {@code upload}; 0 keeps all
 * @param kubernetes what the state file says about Kubernetes, or null
 * @param extraMetadata free-form data for the state file
 */
public record SnapshotRequest(
    String name,
    String endpoint,
    String nodeName,
    SnapshotDirectory directory,
    boolean keepLocalCopy,
    BackupStore upload,
    int localRetention,
    int s3Retention,
    ClusterState.Kubernetes kubernetes,
    Map<String, String> extraMetadata) {
  public SnapshotRequest {
    SnapshotNames.requireValidName(name);
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(directory, "directory");
    nodeName = nodeName == null ? "" : nodeName;
    extraMetadata = extraMetadata == null ? Map.of() : Map.copyOf(extraMetadata);
  }
}

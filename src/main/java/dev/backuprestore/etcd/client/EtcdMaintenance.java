package dev.backuprestore.etcd.client;

import java.io.OutputStream;
import java.util.List;

/**
 * What the snapshot and restore code needs from one etcd member, behind an interface so the
 * transport can change (today: etcd's JSON gateway for the small calls and gRPC over HTTP/2 for the
 * snapshot stream, see {@link HttpEtcdMaintenance}). Calls throw {@link EtcdCallException} naming
 * the endpoint and the call.
 */
public interface EtcdMaintenance extends AutoCloseable {

  /** The client URL this instance talks to. */
  String endpoint();

  /** The cluster's members as this member sees them. */
  List<EtcdMember> memberList();

  /** This member's status. */
  EtcdStatus status();

  /** The cluster's active alarms (NOSPACE, CORRUPT). */
  List<EtcdAlarm> alarms();

  /** The KV hash of this member at {@code revision} (0 = its current revision). */
  EtcdHashKv hashKv(long revision);

  /**
   * A linearizable (quorum) read of {@code key}, what {@code etcdctl endpoint health} does.
   *
   * @return the revision of the response header
   */
  long linearizableRead(String key);

  /**
   * Streams this member's snapshot (bolt file plus the 32-byte sha256 trailer) into {@code out},
   * without holding it in memory. The caller verifies the trailer.
   *
   * @throws EtcdCallException when the stream fails or ends before etcd said it was complete
   */
  SnapshotStreamed snapshot(OutputStream out);

  /**
   * What the snapshot stream said.
   *
   * @param bytes bytes written to the stream
   * @param storageVersion the storage version etcd reported, empty when it sent none
   */
  record SnapshotStreamed(long bytes, String storageVersion) {}

  @Override
  default void close() {}
}

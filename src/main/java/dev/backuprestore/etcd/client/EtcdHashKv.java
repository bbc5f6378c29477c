package dev.backuprestore.etcd.client;

/**
 * Maintenance/HashKV.
 *
 * @param hash the KV hash, unsigned 32-bit
 * @param hashRevision the revision it was computed at
 * @param compactRevision the compacted revision
 */
public record EtcdHashKv(long hash, long hashRevision, long compactRevision) {}

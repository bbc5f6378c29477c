/**
 * etcd snapshots, RKE-style, as plain classes: names ({@link
 * dev.backuprestore.etcd.SnapshotNames}), the sha256 trailer ({@link
 * dev.backuprestore.etcd.SnapshotTrailer}), the snapshot zip with its cluster state file and
 * manifest ({@link dev.backuprestore.etcd.SnapshotArchiveWriter}, {@link
 * dev.backuprestore.etcd.SnapshotArchiveReader}, {@link dev.backuprestore.etcd.ClusterState}), the
 * node directory ({@link dev.backuprestore.etcd.SnapshotDirectory}) and retention. It imports
 * nothing of the operator or the CLI; both wire it. The format is specified in {@code
 * docs/etcd-snapshots.md}.
 */
package dev.backuprestore.etcd;

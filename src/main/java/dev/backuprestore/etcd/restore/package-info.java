/**
 * The etcd restore engine, run on each etcd node while etcd is stopped (the {@code etcd-restore}
 * command): fetch the snapshot zip ({@link dev.backuprestore.etcd.restore.SnapshotFetcher}), verify
 * it before touching anything, refuse while etcd still runs on the data directory ({@link
 * dev.backuprestore.etcd.restore.EtcdRunningCheck}), restore with etcd's own {@code etcdutl} into a
 * fresh sibling directory ({@link dev.backuprestore.etcd.restore.Etcdutl}), and only then swap the
 * directories ({@link dev.backuprestore.etcd.restore.DataDirectories}). {@link
 * dev.backuprestore.etcd.restore.EtcdRestorer} runs the steps in that order.
 */
package dev.backuprestore.etcd.restore;

/**
 * Per-object encryption compatible with the Kubernetes API server's {@code EncryptionConfiguration}
 * and with Rancher Backups' encrypted archives. Bytes in, bytes out: nothing here touches the
 * cluster or the disk, and keys live only in memory.
 *
 * <p>Entry points: {@link dev.backuprestore.crypto.EncryptionConfig#parse(byte[])} and {@link
 * dev.backuprestore.crypto.ObjectCipher}, which seals and opens archive entries.
 */
package dev.backuprestore.crypto;

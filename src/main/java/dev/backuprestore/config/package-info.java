/**
 * Turns the storage and encryption fields of a Backup or Restore (an S3ObjectStore, its credential
 * Secret and endpoint CA, the encryption Secret, the operator's default location) into the engine's
 * configuration: a {@link dev.backuprestore.storage.BackupStore} and a {@link
 * dev.backuprestore.crypto.ObjectCipher}. Shared by the operator and the CLI, below both: it
 * imports api.v1, kube, storage and crypto, never operator or cli.
 */
package dev.backuprestore.config;

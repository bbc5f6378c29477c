/** A Kubernetes backup and restore operator compatible with Rancher Backups. */
package dev.backuprestore;

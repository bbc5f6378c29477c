/**
 * The built-in {@link dev.backuprestore.restore.RestoreItemAction}s: the CRD fixes of Rancher's
 * restore (contract §4.5) and its Rancher-specific tweaks (§4.6, §4.7), one class each, listed in
 * {@link dev.backuprestore.restore.actions.DefaultRestoreItemActions}.
 */
package dev.backuprestore.restore.actions;

/**
 * The built-in {@link dev.backuprestore.restore.RestoreItemAction}s: the CRD fixes of Rancher's
 * restore (docs/rancher-compat.md#restore-crds) and its Rancher-specific tweaks
 * (docs/rancher-compat.md#rancher-tweaks, #restore-apply), one class each, listed in {@link
 * dev.backuprestore.restore.actions.DefaultRestoreItemActions}.
 */
package dev.backuprestore.restore.actions;

/**
 * The restore engine: reads a backup archive once into a {@link
 * dev.backuprestore.restore.RestorePlan} (an index, not the bodies), then applies it to the cluster
 * in order: CRDs (waiting for them to be Established), cluster-scoped objects, namespaced objects
 * (owners before dependents, in {@link dev.backuprestore.restore.RestorePriorities} order), then
 * prune. Entry point: {@link dev.backuprestore.restore.RestoreRunner#run(RestoreJob)}.
 *
 * <p>Per-kind tweaks are {@link dev.backuprestore.restore.RestoreItemAction}s (see the {@code
 * actions} subpackage), never special cases in the generic code.
 */
package dev.backuprestore.restore;

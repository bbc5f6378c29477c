package dev.backuprestore.collect;

/**
 * What one collection run did.
 *
 * @param collected objects handed to the sink
 * @param duplicatesSkipped objects already collected by an earlier selector (same path)
 * @param deletingSkipped objects being deleted without finalizers, left out as Rancher does
 */
public record CollectionSummary(long collected, long duplicatesSkipped, long deletingSkipped) {}

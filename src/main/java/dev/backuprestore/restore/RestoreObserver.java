package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.ObjectPath;

/**
 * Hears what a run does to each object, as it happens (from the worker threads: implementations are
 * thread-safe). The operator needs only the counts of {@link RestoreResult}; the CLI's {@code plan}
 * builds its report from a dry run's events, and tests compare a plan with the real run.
 */
public interface RestoreObserver {
  /** Hears nothing. */
  RestoreObserver NONE = new RestoreObserver() {};

  /** What happened to one archived object. */
  enum Outcome {
    /** Absent from the cluster; created. */
    CREATED,
    /** Present; replaced, and the cluster's object changed. */
    UPDATED,
    /** Present; replaced with what it already was (the API server changed nothing). */
    UNCHANGED,
    /** Not written on purpose, by a {@link RestoreItemAction}. */
    SKIPPED,
    /** Refused by the API server, or its archived owner failed. */
    FAILED
  }

  /**
   * One archived object's outcome.
   *
   * @param detail the skip reason or the failure message; empty otherwise
   * @param statusCode the API server's HTTP status of a failure, 0 otherwise
   */
  default void object(PlannedObject object, Outcome outcome, String detail, int statusCode) {}

  /** A live object that prune deleted (or whose deletion it started). */
  default void pruned(ObjectPath path) {}

  /** A controller of the backup's controllerReferences scaled to zero for the run. */
  default void scaledDown(ObjectPath controller, JsonNode replicas) {}

  /**
   * A Namespace created because archived objects live in it
   * (docs/rancher-compat.md#diff-missing-namespaces).
   */
  default void namespaceCreated(String namespace) {}
}

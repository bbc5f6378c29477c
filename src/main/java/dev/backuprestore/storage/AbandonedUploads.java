package dev.backuprestore.storage;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;

/**
 * Multipart uploads whose abort failed because S3 could not be reached, kept per endpoint and
 * bucket so that the next {@link S3Store} for the same bucket aborts them. A store lives for one
 * backup attempt, so the operator shares one instance across all its stores: otherwise an upload
 * interrupted by an outage would stay pending in the bucket after S3 comes back. Thread-safe.
 */
public final class AbandonedUploads {
  private final ConcurrentMap<List<String>, Queue<S3Upload.AbandonedUpload>> queues =
      new ConcurrentHashMap<>();

  /** The queue of the location's endpoint and bucket; stores add to it and drain it. */
  Queue<S3Upload.AbandonedUpload> queueFor(S3Location location) {
    return queues.computeIfAbsent(
        List.of(location.endpoint(), location.bucketName()),
        bucket -> new ConcurrentLinkedQueue<>());
  }
}

package dev.backuprestore.restore;

import dev.backuprestore.crypto.ObjectCipher;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One restore to run, as plain values (the operator maps the Restore resource onto it).
 *
 * @param id identifies the restore across the runs of one job (e.g. {@code
 *     <restoreUID>/<generation>}): a run that returned "retry after" is continued by a run with the
 *     same id
 * @param archive opens the archive, as stored (encrypted entries still encrypted), from the start;
 *     called once per pass, so it must give the same bytes every time (a local copy). May throw
 *     {@link java.io.UncheckedIOException}
 * @param cipher decrypts encrypted entries; {@link ObjectCipher#none()} without a configuration
 * @param prune delete live objects selected by the backup's filters that the archive lacks (Restore
 *     {@code spec.prune}; unset means true)
 * @param deleteTimeoutSeconds how long pruned objects held by finalizers get before their
 *     finalizers are removed (0 = at once)
 * @param ignoreErrors objects that fail to restore do not fail the restore (prune failures still
 *     do)
 * @param workers how many objects are applied at the same time (default {@value #DEFAULT_WORKERS})
 * @param protectedObjects objects never deleted nor overwritten (the operator's own)
 */
public record RestoreJob(
    String id,
    Supplier<InputStream> archive,
    ObjectCipher cipher,
    boolean prune,
    int deleteTimeoutSeconds,
    boolean ignoreErrors,
    int workers,
    ProtectedObjects protectedObjects) {
  public static final int DEFAULT_WORKERS = 8;

  public RestoreJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(archive, "archive");
    cipher = cipher == null ? ObjectCipher.none() : cipher;
    deleteTimeoutSeconds = Math.max(0, deleteTimeoutSeconds);
    workers = workers < 1 ? DEFAULT_WORKERS : workers;
    protectedObjects = protectedObjects == null ? ProtectedObjects.none() : protectedObjects;
  }

  /** Rancher's defaults: no cipher, prune on, no grace period, errors fail, 8 workers. */
  public static RestoreJob of(String id, Supplier<InputStream> archive) {
    return new RestoreJob(id, archive, ObjectCipher.none(), true, 0, false, DEFAULT_WORKERS, null);
  }

  public RestoreJob withCipher(ObjectCipher value) {
    return new RestoreJob(
        id, archive, value, prune, deleteTimeoutSeconds, ignoreErrors, workers, protectedObjects);
  }

  public RestoreJob withPrune(boolean value) {
    return new RestoreJob(
        id, archive, cipher, value, deleteTimeoutSeconds, ignoreErrors, workers, protectedObjects);
  }

  public RestoreJob withDeleteTimeoutSeconds(int value) {
    return new RestoreJob(
        id, archive, cipher, prune, value, ignoreErrors, workers, protectedObjects);
  }

  public RestoreJob withIgnoreErrors(boolean value) {
    return new RestoreJob(
        id, archive, cipher, prune, deleteTimeoutSeconds, value, workers, protectedObjects);
  }

  public RestoreJob withWorkers(int value) {
    return new RestoreJob(
        id, archive, cipher, prune, deleteTimeoutSeconds, ignoreErrors, value, protectedObjects);
  }

  public RestoreJob withProtectedObjects(ProtectedObjects value) {
    return new RestoreJob(
        id, archive, cipher, prune, deleteTimeoutSeconds, ignoreErrors, workers, value);
  }
}

package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Restore;

/** Runs (a pass of) one restore: obtain and validate the archive, then apply it in order. */
public interface RestoreExecutor {
  RestoreOutcome execute(Restore restore);
}

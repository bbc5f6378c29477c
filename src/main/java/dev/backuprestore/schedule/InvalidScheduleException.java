package dev.backuprestore.schedule;

import dev.backuprestore.kube.OperatorException;

/**
 * A schedule that cannot be parsed (or can never fire). Permanent: retrying cannot help until the
 * user fixes {@code spec.schedule}. The message starts with Rancher's "error parsing invalid cron
 * string for schedule: " so that users and tests see the same text as with Rancher Backups.
 */
public class InvalidScheduleException extends OperatorException {
  static final String PREFIX = "error parsing invalid cron string for schedule: ";

  InvalidScheduleException(String details) {
    super(PREFIX + details, true);
  }
}

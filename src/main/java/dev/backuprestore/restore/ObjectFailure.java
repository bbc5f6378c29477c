package dev.backuprestore.restore;

/**
 * One object that could not be restored or pruned.
 *
 * @param object "deployments.apps default/web"
 * @param reason what the API server (or the restore) said, e.g. "422 Invalid: ..."
 * @param permanent true when retrying the same restore cannot help (invalid object, forbidden by
 *     policy); false for conflicts, timeouts, unavailable servers
 */
public record ObjectFailure(String object, String reason, boolean permanent) {
  @Override
  public String toString() {
    return object + ": " + reason;
  }
}

package dev.backuprestore.cli;

/**
 * The CLI's exit codes, the same for every command, so that scripts can tell "the archive has a
 * problem" from "the tool could not look".
 */
public final class ExitCodes {
  /** All is well: verified, no differences, a plan without problems. */
  public static final int OK = 0;

  /**
   * The command ran and found something: verify found problems, diff found differences, plan found
   * objects the cluster cannot take, cat matched nothing.
   */
  public static final int FINDINGS = 1;

  /** Bad command line (picocli's usage error code). */
  public static final int USAGE = 2;

  /** The command could not run: unreadable source, storage or cluster unreachable, missing key. */
  public static final int ERROR = 3;

  private ExitCodes() {}
}

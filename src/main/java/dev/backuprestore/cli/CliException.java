package dev.backuprestore.cli;

/** A failure the CLI reports as one line on stderr with exit code {@link ExitCodes#ERROR}. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}

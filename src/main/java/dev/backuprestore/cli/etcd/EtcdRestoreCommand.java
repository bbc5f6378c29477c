package dev.backuprestore.cli.etcd;

import dev.backuprestore.etcd.restore.EtcdRestoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code etcd-restore}: restores one etcd member from a snapshot zip, on the node, while etcd is
 * stopped (docs/etcd-restore.md has the runbooks). Subcommands: {@code prepare} (fetch and verify,
 * print the sha256), {@code run} (the restore) and {@code verify} (after the members started).
 *
 * <p>Exit codes: 0 done (verify: every check passed); 1 verify found a failed check; 2 bad usage; 3
 * refused before anything was touched (download, checksum, zip, members, etcd still running); 4 the
 * restore failed (the data directory is untouched; rerun); 5 the directory swap failed (the message
 * says where the old data is).
 */
@Command(
    name = "etcd-restore",
    mixinStandardHelpOptions = true,
    description = "Restore etcd members from a snapshot zip (run on each etcd node, etcd stopped).",
    subcommands = {PrepareCommand.class, RunCommand.class, VerifyCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done; verify: every check passed",
      "1:verify: a check failed",
      "2:bad usage",
      "3:refused before anything was touched",
      "4:etcdutl restore failed; the data directory is untouched, rerun",
      "5:swapping the directories failed; see the message for where the old data is"
    })
public final class EtcdRestoreCommand implements Runnable {
  static final int CHECK_FAILED = 1;
  static final int REFUSED = 3;
  static final int RESTORE_FAILED = 4;
  static final int SWAP_FAILED = 5;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: prepare, run or verify");
  }

  /** Runs the command line; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    // The engine logs through slf4j-simple: keep library chatter out of the report.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    CommandLine commandLine = new CommandLine(new EtcdRestoreCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof EtcdRestoreException restore) {
            cmd.getErr().println("etcd-restore: " + label(restore) + ": " + restore.getMessage());
            cmd.getErr().flush();
            return exitCode(restore);
          }
          if (e instanceof dev.backuprestore.kube.OperatorException failure) {
            cmd.getErr().println("etcd-restore: REFUSED: " + failure.getMessage());
            cmd.getErr().flush();
            return REFUSED;
          }
          throw e;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static String label(EtcdRestoreException e) {
    return switch (e.step()) {
      case RESTORE -> "FAILED (restore; the data directory is untouched, rerun)";
      case SWAP -> "FAILED (swap)";
      default ->
          "REFUSED (" + e.step().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
    };
  }

  static int exitCode(EtcdRestoreException e) {
    return switch (e.step()) {
      case RESTORE -> RESTORE_FAILED;
      case SWAP -> SWAP_FAILED;
      default -> REFUSED;
    };
  }

  public static void main(String[] args) {
    System.exit(
        execute(
            args,
            new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8)));
  }
}

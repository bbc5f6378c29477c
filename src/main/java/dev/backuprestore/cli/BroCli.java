package dev.backuprestore.cli;

import dev.backuprestore.cli.archive.CatCommand;
import dev.backuprestore.cli.archive.DecryptCommand;
import dev.backuprestore.cli.archive.DiffCommand;
import dev.backuprestore.cli.archive.InspectCommand;
import dev.backuprestore.cli.archive.LsCommand;
import dev.backuprestore.cli.archive.PlanCommand;
import dev.backuprestore.cli.archive.ReencryptCommand;
import dev.backuprestore.cli.archive.VerifyCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl bro}: the archive toolkit. Reads archives of this operator and of Rancher Backups
 * from a file, a directory (the chart's volume), S3 or a Backup resource, and reuses the operator's
 * archive, crypto, storage and restore code. See {@link ExitCodes}.
 */
@Command(
    name = "kubectl-bro",
    mixinStandardHelpOptions = true,
    versionProvider = BroCli.Version.class,
    description = {
      "Inspect, verify, diff and plan restores of backup-restore-operator and Rancher Backups"
          + " archives, offline or against a live cluster."
    },
    subcommands = {
      LsCommand.class,
      InspectCommand.class,
      CatCommand.class,
      VerifyCommand.class,
      DiffCommand.class,
      PlanCommand.class,
      DecryptCommand.class,
      ReencryptCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:all is well",
      "1:the command found something (verify: problems; diff: differences; plan: objects the"
          + " cluster cannot take; cat: no match)",
      "2:bad command line",
      "3:the command could not run (source unreadable, storage or cluster unreachable)"
    })
public final class BroCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI on the process's stdout and stderr; returns the exit code. */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the CLI with its output on {@code out} and {@code err} (tests). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    quietLogging();
    CommandLine commandLine = new CommandLine(new BroCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("kubectl-bro " + line.getCommandName() + ": " + describe(e));
          line.getErr().flush();
          return ExitCodes.ERROR;
        });
    CommandLine completion = commandLine.getSubcommands().get("generate-completion");
    if (completion != null) {
      completion.getCommandSpec().usageMessage().hidden(false);
    }
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The message of a failure and of its causes that add something, never a stack trace. */
  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    while (cause != null && cause != e) {
      String message = cause.getMessage();
      if (message != null && !text.toString().contains(message)) {
        text.append(": ").append(message);
      }
      e = cause;
      cause = cause.getCause();
    }
    return text.toString();
  }

  /** The CLI's own messages are its output; libraries only speak up on warnings. */
  private static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  /** The version of the jar, as {@code --version} of the operator prints it. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties properties = new Properties();
      try (InputStream in =
          BroCli.class.getResourceAsStream("/dev/backuprestore/version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {"kubectl-bro " + properties.getProperty("version", "unknown")};
    }
  }
}

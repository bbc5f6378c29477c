package dev.backuprestore.cli.archive;

import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.crypto.DecryptionException;
import dev.backuprestore.crypto.Envelope;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.restore.ArchiveIndexer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Reads the whole archive and checks it as a restore would before touching anything: the gzip
 * stream (its CRC-32 and length trailer), the tar structure, every entry's path, every entry's JSON
 * and its match with its path, the filters, and that every encrypted entry decrypts with the given
 * configuration. Entry problems are collected (up to {@code --max-problems}); a broken gzip or tar
 * stream ends the reading, as nothing after it can be trusted. The archive format has no manifest
 * of checksums (docs/archive-format.md); gzip's CRC-32 covers the whole tar stream.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a whole archive; exit code 0 only when all is well.",
      "",
      "Read the whole archive and check it as a restore would: gzip and tar structure, every"
          + " entry's path and JSON, and that every encrypted entry decrypts with the given"
          + " encryption config. Exit code 0 only when all is well."
    })
public final class VerifyCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Parameters(
      arity = "0..1",
      paramLabel = "ARCHIVE",
      description = "archive file, or its name in the location")
  String archive;

  @Option(
      names = "--max-problems",
      paramLabel = "N",
      defaultValue = "20",
      description = "problems listed before stopping the list (default: ${DEFAULT-VALUE})")
  int maxProblems;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ArchiveArgs options = args;
        ArchiveSource source = options.open(archive)) {
      ObjectCipher cipher = options.cipher();
      Result result = verify(source, cipher, maxProblems);
      PrintWriter out = spec.commandLine().getOut();
      if (result.problems.isEmpty()) {
        out.println(
            "OK "
                + source.name()
                + ": "
                + result.objects
                + " objects ("
                + (result.encrypted == 0
                    ? "none encrypted"
                    : result.encrypted + " encrypted, all decrypted")
                + "), "
                + (result.filters ? "filters/filters.json present" : "no filters/filters.json")
                + ", gzip CRC-32 and tar structure intact");
        return ExitCodes.OK;
      }
      out.println(
          "FAILED "
              + source.name()
              + ": "
              + result.problemCount
              + " problem"
              + (result.problemCount == 1 ? "" : "s")
              + (result.stopped ? " (reading stopped there: nothing after it can be read)" : "")
              + ", "
              + result.objects
              + " objects read");
      for (String problem : result.problems) {
        out.println("  - " + problem);
      }
      if (result.problemCount > result.problems.size()) {
        out.println("  ... and " + (result.problemCount - result.problems.size()) + " more");
      }
      return ExitCodes.FINDINGS;
    }
  }

  /** What a verification found. */
  static final class Result {
    final List<String> problems = new ArrayList<>();
    long problemCount;
    long objects;
    long encrypted;
    boolean filters;
    boolean stopped;

    void problem(String message, int max) {
      problemCount++;
      if (problems.size() < max) {
        problems.add(message);
      }
    }
  }

  static Result verify(ArchiveSource source, ObjectCipher cipher, int maxProblems) {
    Result result = new Result();
    try {
      Entries.forEach(
          source,
          entry -> {
            if (entry.isFilters()) {
              result.filters = true;
            } else {
              result.objects++;
              if (Envelope.of(entry.content()).isPresent()) {
                result.encrypted++;
              }
            }
            try {
              ArchiveIndexer.checkEntry(entry, cipher);
            } catch (ArchiveFormatException | DecryptionException e) {
              result.problem(e.getMessage(), maxProblems);
            }
          });
    } catch (ArchiveFormatException e) {
      result.stopped = true;
      result.problem(e.getMessage(), maxProblems);
    }
    return result;
  }
}

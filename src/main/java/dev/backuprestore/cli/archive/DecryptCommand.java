package dev.backuprestore.cli.archive;

import dev.backuprestore.cli.CliException;
import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.crypto.ObjectCipher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A plaintext copy of an encrypted archive. */
@Command(
    name = "decrypt",
    mixinStandardHelpOptions = true,
    description = {
      "Write a plaintext copy of an archive (loud warning).",
      "",
      "Write a PLAINTEXT copy of an archive (every entry decrypted, Secrets included) to a local"
          + " file, readable by both operators without any encryption config. Handle it like the"
          + " keys themselves."
    })
public final class DecryptCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "archive file, or its name")
  String archive;

  @Option(
      names = {"-O", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "the plaintext copy (created with mode 0600)")
  Path output;

  @Option(names = "--force", description = "replace OUTPUT if it exists")
  boolean force;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (Files.exists(output) && !force) {
      throw new CliException(output + " exists; give --force to replace it");
    }
    try (ArchiveArgs options = args;
        ArchiveSource source = options.open(archive)) {
      Path copy = ArchiveRewriter.rewrite(source, options.cipher(), ObjectCipher.none());
      ArchiveRewriter.moveTo(copy, output);
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("WARNING: " + output + " holds every object of " + archive + " in PLAINTEXT,");
    err.println(
        "WARNING: Secrets included. Anyone who can read it has what the encryption protected.");
    err.println("WARNING: Keep it off shared storage and delete it when done.");
    spec.commandLine().getOut().println("wrote " + output);
    return ExitCodes.OK;
  }
}

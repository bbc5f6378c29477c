package dev.backuprestore.cli.archive;

import dev.backuprestore.cli.CliException;
import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.Upload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Key rotation for stored archives. */
@Command(
    name = "reencrypt",
    mixinStandardHelpOptions = true,
    description = {
      "Re-encrypt an archive with a new encryption config (key rotation).",
      "",
      "Re-encrypt an archive with a new EncryptionConfiguration (key rotation for archives"
          + " already stored): every entry is decrypted with the current config and sealed with"
          + " the new one, by the same code as a backup. The copy is verified with the new config"
          + " before it is written to OUTPUT or, with --in-place, replaces the archive in its"
          + " location."
    })
public final class ReencryptCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "archive file, or its name")
  String archive;

  @Option(
      names = "--to-encryption-config",
      required = true,
      paramLabel = "FILE",
      description = "the new EncryptionConfiguration (its first provider's first key seals)")
  Path newConfig;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = {"-O", "--output"},
        paramLabel = "FILE",
        description = "write a local copy")
    Path output;

    @Option(names = "--in-place", description = "replace the archive where it is stored")
    boolean inPlace;
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ObjectCipher to = EncryptionOptions.fromFile(newConfig);
    try (ArchiveArgs options = args;
        ArchiveSource source = options.open(archive)) {
      Path copy = ArchiveRewriter.rewrite(source, options.cipher(), to);
      try {
        if (target.output != null) {
          ArchiveRewriter.moveTo(copy, target.output);
        } else if (!options.isStore()) {
          ArchiveRewriter.moveTo(copy, Path.of(archive));
        } else {
          upload(options, copy, source.name());
        }
      } finally {
        ArchiveRewriter.deleteQuietly(copy);
      }
      spec.commandLine()
          .getOut()
          .println(
              "re-encrypted "
                  + source.description()
                  + (target.output != null ? " to " + target.output : " in place")
                  + "; the copy verified with the new config");
      return ExitCodes.OK;
    }
  }

  private static void upload(ArchiveArgs options, Path copy, String name) {
    try (BackupStore store = options.openStore();
        Upload upload = store.openUpload(name)) {
      OutputStream out = upload.stream();
      Files.copy(copy, out);
      out.flush();
      upload.commit();
    } catch (IOException e) {
      throw new CliException("uploading " + name + " failed: " + e.getMessage(), e);
    }
  }
}

package dev.backuprestore.cli.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.BackupFileName;
import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.StoredObject;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The archives in a location, newest first. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "List the archives in a location, newest first.",
      "",
      "List the archives in a location (--dir, --s3-..., --backup), newest first: size, time,"
          + " backup name, cluster UID (of kube-system) and whether it is encrypted."
    })
public final class LsCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ArchiveArgs options = args;
        BackupStore store = options.openStore()) {
      List<StoredObject> archives =
          store.list().stream()
              .sorted(
                  Comparator.comparing(StoredObject::lastModified)
                      .reversed()
                      .thenComparing(StoredObject::name))
              .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (StoredObject archive : archives) {
          Optional<BackupFileName.Parts> parts = BackupFileName.parse(archive.name());
          ObjectNode row = list.addObject();
          row.put("name", archive.name());
          row.put("size", archive.size());
          row.put("lastModified", archive.lastModified().toString());
          row.put("backup", parts.map(BackupFileName.Parts::backupName).orElse(null));
          row.put("clusterUID", parts.map(BackupFileName.Parts::clusterId).orElse(null));
          row.put("encrypted", archive.name().endsWith(BackupFileName.ENCRYPTED_SUFFIX));
        }
        out.println(Json.pretty(list));
        return ExitCodes.OK;
      }
      Table table = new Table("NAME", "SIZE", "TIME", "BACKUP", "CLUSTER", "ENCRYPTED");
      for (StoredObject archive : archives) {
        Optional<BackupFileName.Parts> parts = BackupFileName.parse(archive.name());
        table.row(
            archive.name(),
            Table.bytes(archive.size()),
            archive.lastModified().toString(),
            parts.map(BackupFileName.Parts::backupName).orElse("-"),
            parts.map(BackupFileName.Parts::clusterId).orElse("-"),
            archive.name().endsWith(BackupFileName.ENCRYPTED_SUFFIX) ? "yes" : "no");
      }
      table.print(out);
      return ExitCodes.OK;
    }
  }
}

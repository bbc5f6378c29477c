package dev.backuprestore.cli.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.restore.ArchiveIndexer;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Archived objects, decrypted, as YAML or JSON. */
@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    description = {
      "Print archived objects, decrypted, as YAML or JSON.",
      "",
      "Print archived objects, decrypted, as YAML or JSON. OBJECT is an entry path"
          + " (configmaps.#v1/default/app.json) or TYPE/[NAMESPACE/]NAME, where TYPE is the"
          + " resource with its group (configmaps, deployments.apps); globs match (secrets/*/*)."
    })
public final class CatCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "archive file, or its name")
  String archive;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "OBJECT", description = "what to print")
  List<String> patterns;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "yaml|json",
      defaultValue = "yaml",
      description = "output format (default: ${DEFAULT-VALUE})")
  String output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String pattern : patterns) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
    }
    List<ObjectNode> objects = new ArrayList<>();
    try (ArchiveArgs options = args;
        ArchiveSource source = options.open(archive)) {
      ObjectCipher cipher = options.cipher();
      Entries.forEach(
          source,
          entry -> {
            if (!entry.isFilters() && matches(matchers, entry.object())) {
              objects.add(ArchiveIndexer.checkEntry(entry, cipher));
            }
          });
    }
    PrintWriter out = spec.commandLine().getOut();
    if (objects.isEmpty()) {
      spec.commandLine().getErr().println("no archived object matches " + patterns);
      return ExitCodes.FINDINGS;
    }
    if (output.equals("json")) {
      if (objects.size() == 1) {
        out.println(Json.pretty(objects.get(0)));
      } else {
        ObjectNode list = Json.object().put("apiVersion", "v1").put("kind", "List");
        ArrayNode items = list.putArray("items");
        objects.forEach(items::add);
        out.println(Json.pretty(list));
      }
    } else {
      for (int i = 0; i < objects.size(); i++) {
        if (i > 0) {
          out.println("---");
        }
        out.print(Json.yaml(objects.get(i)));
      }
    }
    return ExitCodes.OK;
  }

  static boolean matches(List<PathMatcher> matchers, ObjectPath path) {
    Path entry = Path.of(path.path());
    String type = path.group().isEmpty() ? path.resource() : path.resource() + "." + path.group();
    Path shortForm =
        path.isNamespaced()
            ? Path.of(type, path.namespace(), path.name())
            : Path.of(type, path.name());
    for (PathMatcher matcher : matchers) {
      if (matcher.matches(entry) || matcher.matches(shortForm)) {
        return true;
      }
    }
    return false;
  }
}

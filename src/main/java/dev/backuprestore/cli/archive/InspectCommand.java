package dev.backuprestore.cli.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.crypto.Envelope;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** An archive's summary, read without any key. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Summarize an archive (no key needed).",
      "",
      "Summarize an archive: objects per resource type and per namespace, the ResourceSet it was"
          + " taken with, which entries are encrypted with which provider and key, sizes. Needs"
          + " no key."
    })
public final class InspectCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Parameters(
      arity = "0..1",
      paramLabel = "ARCHIVE",
      description = "archive file, or its name in the location")
  String archive;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ArchiveArgs options = args;
        ArchiveSource source = options.open(archive)) {
      Summary summary = new Summary();
      summary.compressed = Entries.forEach(source, summary::add);
      summary.size = source.size();
      ObjectNode report = summary.toJson(source.name());
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? Json.pretty(report) + "\n" : text(report));
      return ExitCodes.OK;
    }
  }

  private static final class Summary {
    final Map<String, Long> types = new TreeMap<>();
    final Map<String, Long> namespaces = new TreeMap<>();
    final Map<String, Long> keys = new TreeMap<>();
    final Map<String, Long> encryptedTypes = new TreeMap<>();
    JsonNode filters;
    long objects;
    long encrypted;
    long contentBytes;
    long compressed;
    long size;

    void add(dev.backuprestore.archive.ArchiveEntry entry) {
      contentBytes += entry.content().length;
      if (entry.isFilters()) {
        try {
          filters = Json.parse(entry.content());
        } catch (RuntimeException e) {
          filters = Json.MAPPER.getNodeFactory().textNode("(not valid JSON)");
        }
        return;
      }
      ObjectPath path = entry.object();
      objects++;
      String type = type(path);
      types.merge(type, 1L, Long::sum);
      namespaces.merge(path.isNamespaced() ? path.namespace() : "(cluster-scoped)", 1L, Long::sum);
      Optional<Envelope> envelope = Envelope.of(entry.content());
      if (envelope.isPresent()) {
        encrypted++;
        keys.merge(envelope.get().provider() + "/" + envelope.get().keyName(), 1L, Long::sum);
        encryptedTypes.merge(type, 1L, Long::sum);
      }
    }

    ObjectNode toJson(String name) {
      ObjectNode report = Json.object();
      report.put("archive", name);
      report.put("sizeBytes", size);
      report.put("contentBytes", contentBytes);
      report.put("objects", objects);
      report.put("encryptedObjects", encrypted);
      report.set("resourceSet", filters == null ? Json.MAPPER.nullNode() : filters);
      report.set("types", counts(types));
      report.set("namespaces", counts(namespaces));
      ArrayNode keyList = report.putArray("encryption");
      keys.forEach(
          (key, count) -> {
            String[] parts = key.split("/", 2);
            keyList
                .addObject()
                .put("provider", parts[0])
                .put("key", parts[1])
                .put("objects", count);
          });
      report.set("encryptedTypes", counts(encryptedTypes));
      return report;
    }

    private static ObjectNode counts(Map<String, Long> counts) {
      ObjectNode node = Json.object();
      counts.forEach(node::put);
      return node;
    }
  }

  static String type(ObjectPath path) {
    return (path.group().isEmpty() ? path.resource() : path.resource() + "." + path.group())
        + "/"
        + path.version();
  }

  private static String text(ObjectNode report) {
    StringBuilder out = new StringBuilder();
    out.append("Archive:    ").append(report.path("archive").asText()).append('\n');
    out.append("Size:       ")
        .append(Table.bytes(report.path("sizeBytes").asLong()))
        .append(" compressed, ")
        .append(Table.bytes(report.path("contentBytes").asLong()))
        .append(" of entries\n");
    out.append("Objects:    ")
        .append(report.path("objects").asLong())
        .append(" (")
        .append(report.path("encryptedObjects").asLong())
        .append(" encrypted)\n");
    JsonNode filters = report.path("resourceSet");
    if (filters.isNull()) {
      out.append("ResourceSet: none (no filters/filters.json: a restore prunes nothing)\n");
    } else {
      out.append("ResourceSet: ").append(filters.path("metadata").path("name").asText("?"));
      out.append(" (")
          .append(filters.path("resourceSelectors").size())
          .append(" resourceSelectors, ")
          .append(filters.path("controllerReferences").size())
          .append(" controllerReferences)\n");
      for (JsonNode controller : filters.path("controllerReferences")) {
        out.append("  scales down while restoring: ")
            .append(controller.path("resource").asText())
            .append(' ')
            .append(controller.path("namespace").asText())
            .append('/')
            .append(controller.path("name").asText())
            .append('\n');
      }
    }
    section(out, "Types", report.path("types"));
    section(out, "Namespaces", report.path("namespaces"));
    if (report.path("encryption").size() > 0) {
      out.append("\nEncryption (provider/key: objects):\n");
      for (JsonNode key : report.path("encryption")) {
        out.append("  ")
            .append(key.path("provider").asText())
            .append('/')
            .append(key.path("key").asText())
            .append(": ")
            .append(key.path("objects").asLong())
            .append('\n');
      }
      section(out, "Encrypted types", report.path("encryptedTypes"));
    }
    return out.toString();
  }

  private static void section(StringBuilder out, String title, JsonNode counts) {
    out.append('\n').append(title).append(":\n");
    int width = 0;
    for (var names = counts.fieldNames(); names.hasNext(); ) {
      width = Math.max(width, names.next().length());
    }
    int w = width;
    counts
        .fields()
        .forEachRemaining(
            field ->
                out.append("  ")
                    .append(field.getKey())
                    .append(" ".repeat(w - field.getKey().length() + 2))
                    .append(field.getValue().asLong())
                    .append('\n'));
  }
}

package dev.backuprestore.cli.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.cli.CliException;
import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.CanonicalJson;
import dev.backuprestore.kube.ResourceType;
import dev.backuprestore.restore.ArchiveIndexer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Two archives, or an archive and the live cluster, object by object. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two archives, or an archive with the live cluster.",
      "",
      "Compare two archives (ARCHIVE OTHER), or an archive with the live cluster (--live: the"
          + " objects the archive's own ResourceSet selects now), object by object: added"
          + " (+, only in OTHER or live), removed (-, only in ARCHIVE), changed (~) with the"
          + " changed fields. Server-set fields (uid, resourceVersion, generation, timestamps,"
          + " managedFields) and status are ignored. Exit code 1 when they differ."
    })
public final class DiffCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "archive file, or its name")
  String archive;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "OTHER",
      description = "the second archive (same location and encryption config)")
  String other;

  @Option(names = "--live", description = "compare with the live cluster")
  boolean live;

  @Option(names = "--include-status", description = "compare status too")
  boolean includeStatus;

  @Option(names = "--show-secrets", description = "print the values of changed Secret data")
  boolean showSecrets;

  @Spec CommandSpec spec;

  /** Version-independent identity: the same object listed in another version is the same. */
  private record Key(String group, String resource, String namespace, String name)
      implements Comparable<Key> {
    static Key of(ObjectPath path) {
      return new Key(
          path.group(),
          path.resource(),
          path.namespace() == null ? "" : path.namespace(),
          path.name());
    }

    String describe() {
      String type = group.isEmpty() ? resource : resource + "." + group;
      return type + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    @Override
    public int compareTo(Key o) {
      return describe().compareTo(o.describe());
    }
  }

  /**
   * What is held per object: the SHA-256 of its normalized canonical JSON, never the body (a
   * ByteBuffer, for its value equality); bodies are held only for the objects that changed.
   */
  private static ByteBuffer digest(ObjectNode normalized) {
    try {
      return ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256").digest(CanonicalJson.toBytes(normalized)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Objects of one side by key (version-independent) as digests. */
  private final Map<Key, ByteBuffer> before = new TreeMap<>();

  private final Map<Key, ByteBuffer> after = new TreeMap<>();

  /** The later side's bodies of the objects that differ, then the earlier side's. */
  private final Map<Key, ObjectNode> changedAfter = new TreeMap<>();

  private final Map<Key, ObjectNode> changedBefore = new TreeMap<>();

  @Override
  public Integer call() {
    if (live == (other != null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "give either OTHER or --live");
    }
    List<ResourceSelector> selectors = new ArrayList<>();
    try (ArchiveArgs options = args) {
      ObjectCipher cipher = options.cipher();
      try (ArchiveSource source = options.open(archive)) {
        read(source, cipher, selectors, (key, object) -> before.put(key, digest(object)));
      }
      if (live) {
        if (selectors.isEmpty()) {
          throw new CliException(
              "the archive has no filters/filters.json with resourceSelectors: nothing to select"
                  + " live objects with");
        }
        collectLive(options, selectors, this::compareWithBefore);
      } else {
        try (ArchiveSource source = options.open(other)) {
          read(source, cipher, new ArrayList<>(), this::compareWithBefore);
        }
      }
      if (!changedAfter.isEmpty()) {
        // A second pass over the first archive for the bodies of the changed objects only.
        try (ArchiveSource source = options.open(archive)) {
          read(
              source,
              cipher,
              new ArrayList<>(),
              (key, object) -> {
                if (changedAfter.containsKey(key)) {
                  changedBefore.put(key, object);
                }
              });
        }
      }
    }
    return print();
  }

  private void compareWithBefore(Key key, ObjectNode object) {
    ByteBuffer digest = digest(object);
    after.put(key, digest);
    ByteBuffer earlier = before.get(key);
    if (earlier != null && !earlier.equals(digest)) {
      changedAfter.put(key, object);
    }
  }

  private void read(
      ArchiveSource source,
      ObjectCipher cipher,
      List<ResourceSelector> selectors,
      BiConsumer<Key, ObjectNode> objects) {
    Entries.forEach(
        source,
        entry -> {
          ObjectNode object = ArchiveIndexer.checkEntry(entry, cipher);
          if (entry.isFilters()) {
            for (var selector : object.path("resourceSelectors")) {
              selectors.add(Json.MAPPER.treeToValue(selector, ResourceSelector.class));
            }
            return;
          }
          FieldDiff.normalize(object, includeStatus);
          objects.accept(Key.of(entry.object()), object);
        });
  }

  private void collectLive(
      ArchiveArgs options, List<ResourceSelector> selectors, BiConsumer<Key, ObjectNode> objects) {
    try {
      new ResourceCollector(options.cluster.client())
          .collect(
              selectors,
              (ResourceType type, ObjectNode object) -> {
                FieldDiff.normalize(object, includeStatus);
                var metadata = object.path("metadata");
                objects.accept(
                    new Key(
                        type.group(),
                        type.plural(),
                        type.namespaced() ? metadata.path("namespace").asText("") : "",
                        metadata.path("name").asText("")),
                    object);
              });
    } catch (IOException e) {
      throw new CliException("listing the live objects failed: " + e.getMessage(), e);
    }
  }

  private int print() {
    PrintWriter out = spec.commandLine().getOut();
    TreeSet<Key> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    int added = 0;
    int removed = 0;
    int changed = 0;
    for (Key key : keys) {
      if (!before.containsKey(key)) {
        added++;
        out.println("+ " + key.describe());
      } else if (!after.containsKey(key)) {
        removed++;
        out.println("- " + key.describe());
      } else if (changedAfter.containsKey(key)) {
        changed++;
        out.println("~ " + key.describe());
        for (FieldDiff.Change change :
            FieldDiff.diff(changedBefore.get(key), changedAfter.get(key))) {
          boolean redact =
              !showSecrets && FieldDiff.isSecretValue(key.group(), key.resource(), change.field());
          out.println("    " + change.describe(redact));
        }
      }
    }
    int unchanged = keys.size() - added - removed - changed;
    out.println(
        added
            + " added, "
            + removed
            + " removed, "
            + changed
            + " changed, "
            + unchanged
            + " unchanged");
    return added + removed + changed == 0 ? ExitCodes.OK : ExitCodes.FINDINGS;
  }
}

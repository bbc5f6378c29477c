package dev.backuprestore.backup;

import static dev.backuprestore.testing.BackupFixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An archive the operator wrote, unpacked and listed by GNU tar as a user would, checked entry by
 * entry against Rancher's format (docs/rancher-compat.md#object-cleaning, #archive-layout): paths,
 * directory entries, filters.json, and every JSON body equal to the live object minus the six
 * server-owned metadata fields, with sorted keys, compact, Go's HTML escaping.
 */
class ArchiveContentIT {
  private static final String OPERATOR_NAMESPACE = "archive-it-system";
  private static final String NS = "archive-it-data";
  private static final String RESOURCE_SET = "archive-it-set";
  private static final String HOLD = "example.com/hold";
  private static final List<String> REMOVED =
      List.of(
          "uid",
          "creationTimestamp",
          "deletionTimestamp",
          "selfLink",
          "resourceVersion",
          "deletionGracePeriodSeconds");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path localDirectory;
  private static Path work;
  private static OperatorHarness operator;
  private static KubernetesClient client;
  private static BackupFixtures fixtures;

  @BeforeAll
  static void start() throws Exception {
    localDirectory = Files.createTempDirectory("archive-it-local");
    work = Files.createTempDirectory("archive-it-work");
    operator =
        OperatorHarness.start(OperatorHarness.devConfig(OPERATOR_NAMESPACE, localDirectory, false));
    client = operator.client();
    fixtures = new BackupFixtures(client, "archive-it");
  }

  @AfterAll
  static void stop() {
    releaseHeldConfigMap();
    fixtures.cleanUp();
    operator.close();
    TestFiles.deleteRecursively(localDirectory);
    TestFiles.deleteRecursively(work);
  }

  @Test
  void gnuTarReadsTheArchiveAndEveryEntryFollowsTheContract() throws Exception {
    fixtures.namespace(NS);
    ConfigMap owner = fixtures.configMap(NS, "owner", Map.of("html", "<b>Tom & Jerry</b>"));
    client
        .configMaps()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("owned")
                .withNamespace(NS)
                .addToLabels(BackupFixtures.LABEL, "archive-it")
                .addToAnnotations("note", "kept")
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("ConfigMap")
                        .withName("owner")
                        .withUid(owner.getMetadata().getUid())
                        .build())
                .endMetadata()
                .withData(Map.of("zeta", "1", "alpha", "2", "Mid", "3"))
                .build())
        .create();
    // Being deleted but held by a finalizer: backed up, without deletionTimestamp and
    // deletionGracePeriodSeconds (docs/rancher-compat.md#object-cleaning).
    client
        .configMaps()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("held")
                .withNamespace(NS)
                .addToLabels(BackupFixtures.LABEL, "archive-it")
                .withFinalizers(HOLD)
                .endMetadata()
                .withData(Map.of("state", "terminating"))
                .build())
        .create();
    client.configMaps().inNamespace(NS).withName("held").delete();
    fixtures.secret(NS, "credentials", Map.of("user", "admin"));

    ControllerReference controller = new ControllerReference();
    controller.setApiVersion("apps/v1");
    controller.setResource("deployments");
    controller.setNamespace(NS);
    controller.setName("frontend");
    ResourceSelector namespaces = selector("v1", List.of("namespaces"), null);
    namespaces.setResourceNames(List.of(NS));
    ResourceSelector sets = selector("resources.cattle.io/v1", List.of("ResourceSet"), null);
    sets.setResourceNames(List.of(RESOURCE_SET));
    fixtures.resourceSet(
        RESOURCE_SET,
        List.of(namespaces, selector("v1", List.of("configmaps", "secrets"), List.of(NS)), sets),
        List.of(controller));

    fixtures.createBackup("archive-it", RESOURCE_SET, spec -> {});
    Backup done = fixtures.awaitCompleted("archive-it");
    Path archive = localDirectory.resolve(done.getStatus().getFilename());

    // tar -tzvf: every entry, its type and its name as stored.
    List<String> listing = lines(run(work, "tar", "-tzvf", archive.toString()));
    List<String> directories = new ArrayList<>();
    List<String> regularFiles = new ArrayList<>();
    for (String line : listing) {
      String[] columns = line.split("\\s+", 6);
      String name = columns[5];
      assertThat(name).doesNotStartWith("./").doesNotStartWith("/").doesNotEndWith("/");
      switch (line.charAt(0)) {
        case 'd' -> directories.add(name);
        case '-' -> regularFiles.add(name);
        default -> throw new AssertionError("unexpected entry type: " + line);
      }
    }
    // Collection order (docs/archive-format.md): selectors in order, filters last.
    assertThat(directories)
        .containsExactly(
            "namespaces.#v1",
            "configmaps.#v1",
            "configmaps.#v1/archive-it-data",
            "secrets.#v1",
            "secrets.#v1/archive-it-data",
            "resourcesets.resources.cattle.io#v1",
            "filters");
    assertThat(regularFiles)
        .containsExactlyInAnyOrder(
            "configmaps.#v1/archive-it-data/held.json",
            "configmaps.#v1/archive-it-data/owned.json",
            "configmaps.#v1/archive-it-data/owner.json",
            "filters/filters.json",
            "namespaces.#v1/archive-it-data.json",
            "resourcesets.resources.cattle.io#v1/archive-it-set.json",
            "secrets.#v1/archive-it-data/credentials.json");
    for (String file : regularFiles) {
      String parent = file.substring(0, file.lastIndexOf('/'));
      assertThat(listing.indexOf(entryLine(listing, parent)))
          .as("directory %s is listed before %s", parent, file)
          .isLessThan(listing.indexOf(entryLine(listing, file)));
      if (!file.startsWith("filters/")) {
        assertThat(file)
            .matches("[a-z0-9-]+\\.[a-z0-9.-]*#v[0-9a-z]+/([a-z0-9-]+/)?[a-z0-9.-]+\\.json");
      }
    }

    // tar -xzf: the same tree on disk.
    Path out = Files.createDirectory(work.resolve("extracted"));
    run(work, "tar", "-xzf", archive.toString(), "-C", out.toString());
    assertThat(extracted(out)).containsExactlyInAnyOrderElementsOf(regularFiles);

    for (String file : regularFiles) {
      byte[] body = Files.readAllBytes(out.resolve(file));
      assertCanonical(file, body);
      if (!file.startsWith("filters/")) {
        assertMatchesLiveObject(file, JSON.readTree(body));
      }
    }

    JsonNode owned = JSON.readTree(read(out, "configmaps.#v1/archive-it-data/owned.json"));
    assertThat(owned.path("metadata").path("ownerReferences").get(0).path("uid").asText())
        .isEqualTo(owner.getMetadata().getUid());
    assertThat(owned.path("metadata").path("managedFields").get(0).path("manager").asText())
        .isNotEmpty();
    assertThat(read(out, "configmaps.#v1/archive-it-data/owner.json"))
        .contains("\"html\":\"\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e\"");
    JsonNode liveHeld = live("v1", "configmaps", NS, "held");
    assertThat(liveHeld.path("metadata").has("deletionTimestamp")).isTrue();
    assertThat(liveHeld.path("metadata").has("deletionGracePeriodSeconds")).isTrue();
    JsonNode held = JSON.readTree(read(out, "configmaps.#v1/archive-it-data/held.json"));
    assertThat(held.path("metadata").path("finalizers").get(0).asText()).isEqualTo(HOLD);
    JsonNode namespace = JSON.readTree(read(out, "namespaces.#v1/archive-it-data.json"));
    assertThat(namespace.path("status").path("phase").asText()).isEqualTo("Active");

    JsonNode filters = JSON.readTree(read(out, "filters/filters.json"));
    assertThat(filters.path("metadata").path("name").asText()).isEqualTo(RESOURCE_SET);
    JsonNode liveSet = live("resources.cattle.io/v1", "resourcesets", null, RESOURCE_SET);
    assertThat(filters.path("resourceSelectors")).isEqualTo(liveSet.path("resourceSelectors"));
    assertThat(filters.path("controllerReferences"))
        .isEqualTo(liveSet.path("controllerReferences"));
    assertThat(filters.path("controllerReferences").get(0).path("name").asText())
        .isEqualTo("frontend");
  }

  /** The archived body is the live object minus exactly the six removed metadata fields. */
  private static void assertMatchesLiveObject(String file, JsonNode archived) throws IOException {
    String[] parts = file.split("/");
    String[] typeParts = parts[0].split("#");
    String plural = typeParts[0].substring(0, typeParts[0].indexOf('.'));
    String group = typeParts[0].substring(typeParts[0].indexOf('.') + 1);
    String apiVersion = group.isEmpty() ? typeParts[1] : group + "/" + typeParts[1];
    String name = parts[parts.length - 1].replaceFirst("\\.json$", "");
    String namespace = parts.length == 3 ? parts[1] : null;
    assertThat(archived.path("apiVersion").asText()).isEqualTo(apiVersion);
    assertThat(archived.path("metadata").path("name").asText()).isEqualTo(name);
    ObjectNode expected = (ObjectNode) live(apiVersion, plural, namespace, name);
    assertThat(expected.path("metadata").has("uid")).isTrue();
    ((ObjectNode) expected.get("metadata")).remove(REMOVED);
    for (String field : REMOVED) {
      assertThat(archived.path("metadata").has(field)).as("%s in %s", field, file).isFalse();
    }
    assertThat(archived).as(file).isEqualTo(expected);
  }

  /** The live object as the API server sends it, untouched by any client model. */
  private static JsonNode live(String apiVersion, String plural, String namespace, String name)
      throws IOException {
    String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String path =
        prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural + "/" + name;
    String body = client.raw(client.getMasterUrl().toString().replaceAll("/$", "") + path);
    assertThat(body).as("GET %s", path).isNotNull();
    return JSON.readTree(body);
  }

  /**
   * Go's json.Marshal of a map: compact (no whitespace outside strings), object keys sorted at
   * every level, no trailing newline, and no raw {@code <}, {@code >} or {@code &}.
   */
  private static void assertCanonical(String file, byte[] body) throws IOException {
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).as(file).startsWith("{").endsWith("}");
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        } else {
          assertThat("<>&".indexOf(c)).as("raw %s in a string of %s", c, file).isNegative();
        }
      } else if (c == '"') {
        inString = true;
      } else {
        assertThat(Character.isWhitespace(c)).as("whitespace at %d in %s", i, file).isFalse();
      }
    }
    try (JsonParser parser = JSON.getFactory().createParser(body)) {
      Deque<String> lastKey = new ArrayDeque<>();
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case START_OBJECT -> lastKey.push("");
          case END_OBJECT -> lastKey.pop();
          case FIELD_NAME -> {
            String key = parser.currentName();
            assertThat(key).as("keys of an object in %s", file).isGreaterThan(lastKey.peek());
            lastKey.pop();
            lastKey.push(key);
          }
          default -> {}
        }
      }
    }
  }

  private static String entryLine(List<String> listing, String name) {
    return listing.stream()
        .filter(line -> line.split("\\s+", 6)[5].equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry " + name));
  }

  private static Set<String> extracted(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static String read(Path root, String file) throws IOException {
    return Files.readString(root.resolve(file), StandardCharsets.UTF_8);
  }

  private static String run(Path directory, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    return output;
  }

  private static List<String> lines(String text) {
    return text.lines().filter(line -> !line.isBlank()).toList();
  }

  private static void releaseHeldConfigMap() {
    ConfigMap held = client.configMaps().inNamespace(NS).withName("held").get();
    if (held != null) {
      client
          .configMaps()
          .inNamespace(NS)
          .withName("held")
          .edit(
              cm -> {
                cm.getMetadata().setFinalizers(List.of());
                return cm;
              });
    }
  }
}

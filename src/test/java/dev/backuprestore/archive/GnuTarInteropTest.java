package dev.backuprestore.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our archives against GNU tar, both ways: the format is only as good as what other tools see. */
class GnuTarInteropTest {
  @TempDir Path tmp;

  @BeforeAll
  static void requireGnuTar() {
    boolean gnu;
    try {
      gnu = run(Path.of("."), "tar", "--version").contains("GNU tar");
    } catch (IOException e) {
      gnu = false;
    }
    assumeTrue(gnu, "GNU tar is not installed");
  }

  private static Map<String, String> sampleObjects() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("secrets.#v1/cattle-system/foo.json", "{\"kind\":\"Secret\"}");
    files.put("namespaces.#v1/cattle-system.json", "{\"kind\":\"Namespace\"}");
    files.put(
        "customresourcedefinitions.apiextensions.k8s.io#v1/users.management.cattle.io.json",
        "{\"kind\":\"CustomResourceDefinition\"}");
    files.put("secrets.#v1/default/bar.json", "{\"kind\":\"Secret\",\"n\":2}");
    files.put(
        "configmaps.#v1/" + "n".repeat(63) + "/" + "c".repeat(240) + ".json",
        "{\"kind\":\"ConfigMap\"}");
    files.put("users.management.cattle.io#v3/u-abc.json", "{\"kind\":\"User\"}");
    files.put("filters/filters.json", "{\"resourceSelectors\":[]}");
    return files;
  }

  @Test
  void gnuTarExtractsOurArchiveWithEveryPathAndBody() throws IOException {
    Map<String, String> files = sampleObjects();
    Path archive = tmp.resolve("backup.tar.gz");
    try (TarGzArchiveWriter writer =
        new TarGzArchiveWriter(
            Files.newOutputStream(archive),
            Clock.fixed(TarGzArchiveWriterTest.WRITE_TIME, ZoneOffset.UTC))) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        writer.writeFile(file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }

    Path out = Files.createDirectory(tmp.resolve("out"));
    run(out, "tar", "-xzf", archive.toString());
    List<String> extracted = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(out)) {
      walk.filter(Files::isRegularFile).forEach(p -> extracted.add(out.relativize(p).toString()));
    }
    assertThat(extracted).containsExactlyInAnyOrderElementsOf(files.keySet());
    for (Map.Entry<String, String> file : files.entrySet()) {
      assertThat(Files.readString(out.resolve(file.getKey()))).isEqualTo(file.getValue());
    }

    // Listing: typeflags (d / -), modes, names without trailing slash for directories
    String listing = run(tmp, "tar", "--numeric-owner", "-tzvf", archive.toString());
    List<String> lines = listing.lines().toList();
    assertThat(lines).hasSize(files.size() + 9); // 9 directories
    for (String line : lines) {
      String name = line.substring(line.lastIndexOf(' ') + 1);
      if (name.endsWith(".json")) {
        assertThat(line).startsWith("-rw-r--r-- 0/0");
      } else {
        assertThat(line).startsWith("drwxr-xr-x 0/0");
      }
      assertThat(line).contains("2024-05-01 13:45");
    }
    assertThat(lines.get(0)).endsWith(" secrets.#v1");
    assertThat(lines.get(1)).endsWith(" secrets.#v1/cattle-system");
    assertThat(lines.get(2)).endsWith(" secrets.#v1/cattle-system/foo.json");
  }

  @Test
  void readsAnArchiveMadeByGnuTarWithTrailingSlashDirectories() throws IOException {
    Path tree = Files.createDirectory(tmp.resolve("tree"));
    Map<String, String> files = sampleObjects();
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = tree.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }
    List<String> topLevel = new ArrayList<>();
    try (Stream<Path> list = Files.list(tree)) {
      list.forEach(p -> topLevel.add(p.getFileName().toString()));
    }

    // ustar cannot hold the long name; GNU's own format (the default) and pax cover long names
    for (String format : List.of("gnu", "pax")) {
      Path archive = tmp.resolve("gnu-" + format + ".tar.gz");
      List<String> command =
          new ArrayList<>(
              List.of(
                  "tar", "--format=" + format, "-czf", archive.toString(), "-C", tree.toString()));
      command.addAll(topLevel); // relative names: no "./" prefix
      run(tmp, command.toArray(String[]::new));
      assertThat(run(tmp, "tar", "-tzf", archive.toString())).contains("secrets.#v1/\n");

      Map<String, String> read = new LinkedHashMap<>();
      for (ArchiveEntry entry : TarGzArchiveReaderTest.readAll(Files.readAllBytes(archive))) {
        read.put(entry.path(), new String(entry.content(), StandardCharsets.UTF_8));
        assertThat(entry.isFilters()).isEqualTo(entry.path().equals("filters/filters.json"));
      }
      assertThat(read).as(format).isEqualTo(files);
    }
  }

  @Test
  void rejectsAGnuTarArchiveOfDotWithItsDotSlashPrefix() throws IOException {
    Path tree = Files.createDirectories(tmp.resolve("tree/secrets.#v1"));
    Files.writeString(tree.resolve("a.json"), "{}");
    Path archive = tmp.resolve("dot.tar.gz");
    run(tmp, "tar", "-czf", archive.toString(), "-C", tmp.resolve("tree").toString(), ".");

    assertThatThrownBy(() -> TarGzArchiveReaderTest.readAll(Files.readAllBytes(archive)))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessageContaining("archive entry './'");
  }

  private static String run(Path dir, String... command) throws IOException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    process.getInputStream().transferTo(output);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String text = output.toString(StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + text);
    }
    return text;
  }
}

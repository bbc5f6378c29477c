package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every "why" in the code points at a section a reader of the repository has: citations of
 * docs/rancher-compat.md name anchors that the page defines, and nothing cites the numbered
 * sections of a document that is not in the repository.
 */
class RancherCompatDocTest {
  private static final Path DOC = Path.of("docs/rancher-compat.md");
  private static final List<Path> CITING =
      List.of(
          Path.of("src"),
          Path.of("scripts"),
          Path.of("charts"),
          Path.of("docs"),
          Path.of("examples"),
          Path.of("bench"),
          Path.of("demo"),
          Path.of("README.md"),
          Path.of("Dockerfile"));

  /** "rancher-compat.md#a, #b and #c", possibly broken over comment lines. */
  private static final Pattern CITATION =
      Pattern.compile("rancher-compat\\.md((?:#[A-Za-z0-9-]+(?:,\\s*|\\s+and\\s+)?)+)");

  private static final Pattern ANCHOR = Pattern.compile("#([A-Za-z0-9-]+)");

  private static Set<String> anchors() throws IOException {
    Set<String> anchors = new LinkedHashSet<>();
    Matcher m = Pattern.compile("<a id=\"([A-Za-z0-9-]+)\"></a>").matcher(Files.readString(DOC));
    while (m.find()) {
      anchors.add(m.group(1));
    }
    return anchors;
  }

  private static List<Path> textFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : CITING) {
      if (Files.isRegularFile(root)) {
        files.add(root);
      } else if (Files.isDirectory(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.startsWith(Path.of("src/test/resources/rancher")))
              // These two quote the patterns and plant violations on purpose.
              .filter(f -> !f.endsWith("RancherCompatDocTest.java"))
              .filter(f -> !f.endsWith("SelfContainedCheckTest.java"))
              .filter(f -> f.toString().matches(".*\\.(java|md|ya?ml|sh|tpl|txt|properties)$"))
              .forEach(files::add);
        }
      }
    }
    return files;
  }

  /** The text with comment line breaks ("\n * ", "\n // ", "\n # ") joined into spaces. */
  private static String joined(Path file) throws IOException {
    return Files.readString(file).replaceAll("\\n\\s*(\\*|//|#)?\\s*", " ");
  }

  @Test
  void theDocumentDefinesItsAnchorsOnce() throws IOException {
    List<String> all = new ArrayList<>();
    Matcher m = Pattern.compile("<a id=\"([^\"]+)\"></a>").matcher(Files.readString(DOC));
    while (m.find()) {
      all.add(m.group(1));
    }
    assertThat(all).hasSizeGreaterThan(30).doesNotHaveDuplicates();
  }

  @Test
  void everyCitationNamesAnAnchorOfTheDocument() throws IOException {
    Set<String> anchors = anchors();
    List<String> broken = new ArrayList<>();
    int citations = 0;
    for (Path file : textFiles()) {
      Matcher citation = CITATION.matcher(joined(file));
      while (citation.find()) {
        Matcher anchor = ANCHOR.matcher(citation.group(1));
        while (anchor.find()) {
          citations++;
          if (!anchors.contains(anchor.group(1))) {
            broken.add(file + ": #" + anchor.group(1));
          }
        }
      }
    }
    // The page's own links: (#anchor).
    Matcher local = Pattern.compile("\\]\\(#([A-Za-z0-9-]+)\\)").matcher(Files.readString(DOC));
    while (local.find()) {
      if (!anchors.contains(local.group(1))) {
        broken.add(DOC + ": #" + local.group(1));
      }
    }

    assertThat(citations).as("citations found (guards the scan itself)").isGreaterThan(40);
    assertThat(broken).as("citations of anchors that docs/rancher-compat.md lacks").isEmpty();
  }

  @Test
  void everyCitedDocumentIsInTheRepository() throws IOException {
    Pattern cited = Pattern.compile("\\bdocs/([A-Za-z0-9_.-]+\\.md)\\b");
    List<String> missing = new ArrayList<>();
    for (Path file : textFiles()) {
      Matcher m = cited.matcher(Files.readString(file));
      while (m.find()) {
        if (!Files.isRegularFile(Path.of("docs", m.group(1)))) {
          missing.add(file + ": docs/" + m.group(1));
        }
      }
    }

    assertThat(missing).as("documents cited but not in the repository").isEmpty();
  }

  @Test
  void nothingCitesTheNumberedSectionsOfAnOutsideDocument() throws IOException {
    List<String> numbered = new ArrayList<>();
    for (Path file : textFiles()) {
      if (file.equals(Path.of("docs/archive-format.md"))) {
        continue; // its numbered sections are its own
      }
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("\u00a7")) {
          numbered.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
        }
      }
    }

    assertThat(numbered).isEmpty();
  }
}

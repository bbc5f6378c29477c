package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart README's table of values against the two values files it describes: ours and Rancher's
 * (vendored, see src/test/resources/rancher/chart-rendered/NOTICE). Every key of either file has a
 * row, each default in the table is the file's, and a row whose defaults differ says how.
 */
class ChartValuesTableTest {
  private static final Path README = Helm.OPERATOR_CHART.resolve("README.md");
  private static final Path OURS = Helm.OPERATOR_CHART.resolve("values.yaml");
  private static final Path RANCHERS =
      Path.of("src/test/resources/rancher/chart-rendered/rancher-backup-values.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A key the chart does not have. */
  private static final String ABSENT = "—";

  /** A key that values.yaml documents in a comment only. */
  private static final String UNSET = "*unset*";

  private static Map<String, Row> table;
  private static Map<String, JsonNode> ours;
  private static Map<String, JsonNode> ranchers;

  record Row(String key, String ours, String ranchers, String meaning, String difference) {}

  @BeforeAll
  static void read() throws IOException {
    table = rows(Files.readString(README));
    ours = leaves(YAML.readTree(OURS.toFile()));
    ranchers = leaves(YAML.readTree(RANCHERS.toFile()));
  }

  @Test
  void everyValueOfOurChartHasARowWithItsDefault() {
    assertThat(table.keySet()).as("rows of %s", README).containsAll(ours.keySet());
    for (Map.Entry<String, JsonNode> value : ours.entrySet()) {
      assertThat(cell(table.get(value.getKey()).ours()))
          .as("our default of %s in %s", value.getKey(), README)
          .isEqualTo(value.getValue());
    }
  }

  @Test
  void everyValueOfRanchersChartHasARowWithItsDefault() {
    assertThat(table.keySet()).as("rows of %s", README).containsAll(ranchers.keySet());
    for (Map.Entry<String, JsonNode> value : ranchers.entrySet()) {
      assertThat(cell(table.get(value.getKey()).ranchers()))
          .as("Rancher's default of %s in %s", value.getKey(), README)
          .isEqualTo(value.getValue());
    }
  }

  @Test
  void aRowWithoutAValueIsAbsentOrOnlyCommentedOut() throws IOException {
    String ourFile = Files.readString(OURS);
    String theirFile = Files.readString(RANCHERS);
    for (Row row : table.values()) {
      assertThat(row.ours().equals(ABSENT) || row.ours().equals(UNSET))
          .as("%s: our default is in the table but not in values.yaml", row.key())
          .isEqualTo(!ours.containsKey(row.key()));
      assertThat(row.ranchers().equals(ABSENT) || row.ranchers().equals(UNSET))
          .as("%s: Rancher's default is in the table but not in its values.yaml", row.key())
          .isEqualTo(!ranchers.containsKey(row.key()));
      String leaf = row.key().substring(row.key().lastIndexOf('.') + 1);
      if (row.ours().equals(UNSET)) {
        assertThat(ourFile)
            .as("%s is commented out in values.yaml", row.key())
            .contains("# " + leaf + ":");
      }
      if (row.ranchers().equals(UNSET)) {
        assertThat(theirFile)
            .as("%s is commented out in Rancher's", row.key())
            .contains("# " + leaf + ":");
      }
    }
  }

  @Test
  void everyDifferenceFromRancherIsExplained() {
    List<String> unexplained = new ArrayList<>();
    for (Row row : table.values()) {
      if (!row.ours().equals(row.ranchers()) && row.difference().isBlank()) {
        unexplained.add(row.key());
      }
    }

    assertThat(unexplained).as("rows whose defaults differ but say nothing about it").isEmpty();
  }

  /**
   * The rows of the table under "## Values": | `key` | ours | Rancher's | meaning | difference |.
   */
  private static Map<String, Row> rows(String readme) {
    String section = readme.substring(readme.indexOf("\n## Values"));
    int next = section.indexOf("\n## ", 1);
    section = next < 0 ? section : section.substring(0, next);
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : section.lines().toList()) {
      if (!line.startsWith("| `")) {
        continue;
      }
      // No cell holds a "|".
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      assertThat(cells).as("cells of %s", line).hasSize(5);
      String key = unquote(cells[0].trim());
      Row row = new Row(key, cells[1].trim(), cells[2].trim(), cells[3].trim(), cells[4].trim());
      assertThat(rows.put(key, row)).as("a second row for %s", key).isNull();
    }
    assertThat(rows).as("the table of values in %s", README).isNotEmpty();
    return rows;
  }

  /** A default cell, `yaml`, as the value it stands for. */
  private static JsonNode cell(String cell) {
    try {
      return YAML.readTree("value: " + unquote(cell)).get("value");
    } catch (IOException e) {
      throw new AssertionError("not a YAML default: " + cell, e);
    }
  }

  private static String unquote(String cell) {
    if (!cell.startsWith("`") || !cell.endsWith("`")) {
      throw new AssertionError("expected `...`, got " + cell);
    }
    return cell.substring(1, cell.length() - 1);
  }

  /** Dotted paths to every scalar, list and empty map of a values file. */
  private static Map<String, JsonNode> leaves(JsonNode values) {
    Map<String, JsonNode> leaves = new LinkedHashMap<>();
    collect("", values, leaves);
    return leaves;
  }

  private static void collect(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
    if (node.isObject() && !node.isEmpty()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        collect(prefix + field.getKey() + ".", field.getValue(), leaves);
      }
    } else {
      leaves.put(prefix.substring(0, prefix.length() - 1), node);
    }
  }

  @Test
  void theTableHasNoRowForAKeyNeitherChartHas() {
    Set<String> known = new TreeSet<>(ours.keySet());
    known.addAll(ranchers.keySet());
    List<String> extra =
        table.values().stream()
            .filter(row -> !known.contains(row.key()))
            .filter(row -> !row.ours().equals(UNSET) && !row.ranchers().equals(UNSET))
            .map(Row::key)
            .toList();

    assertThat(extra).isEmpty();
  }
}

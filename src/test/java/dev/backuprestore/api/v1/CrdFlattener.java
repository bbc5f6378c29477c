package dev.backuprestore.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Flattens a CRD into "path = value" leaves so that two CRDs can be compared field by field and a
 * difference can be named by its path, e.g. {@code
 * spec.versions[v1].schema.openAPIV3Schema.properties.spec.properties.retentionCount.minimum = 1}.
 *
 * <p>Normalisations, each because the two generators write the same meaning differently: numbers
 * compare by value (1 and 1.0), {@code required} and {@code enum} compare as sets, and lists of
 * named objects (versions, printer columns) are keyed by name, their order being a leaf of its own
 * ({@code ...additionalPrinterColumns#order}).
 */
final class CrdFlattener {
  static final String ABSENT = "<absent>";
  private static final Set<String> SET_VALUED = Set.of("required", "enum");

  private CrdFlattener() {}

  static SortedMap<String, String> flatten(JsonNode crd) {
    SortedMap<String, String> leaves = new TreeMap<>();
    walk("", crd, leaves);
    return leaves;
  }

  private static void walk(String path, JsonNode node, Map<String, String> leaves) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        leaves.put(path, "{}");
      }
      node.fields().forEachRemaining(f -> walk(child(path, f.getKey()), f.getValue(), leaves));
    } else if (node.isArray()) {
      walkArray(path, node, leaves);
    } else if (node.isNumber()) {
      leaves.put(path, new BigDecimal(node.asText()).stripTrailingZeros().toPlainString());
    } else {
      leaves.put(path, node.asText());
    }
  }

  private static void walkArray(String path, JsonNode array, Map<String, String> leaves) {
    if (array.isEmpty()) {
      leaves.put(path, "[]");
      return;
    }
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    if (items.stream().allMatch(JsonNode::isValueNode)) {
      var values = items.stream().map(JsonNode::asText);
      if (SET_VALUED.contains(lastSegment(path))) {
        values = values.sorted();
      }
      leaves.put(path, values.collect(Collectors.joining(",", "[", "]")));
    } else if (items.stream().allMatch(i -> i.isObject() && i.hasNonNull("name"))) {
      leaves.put(
          path + "#order",
          items.stream().map(i -> i.get("name").asText()).collect(Collectors.joining(",")));
      items.forEach(i -> walk(path + "[" + i.get("name").asText() + "]", i, leaves));
    } else {
      for (int i = 0; i < items.size(); i++) {
        walk(path + "[" + i + "]", items.get(i), leaves);
      }
    }
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}

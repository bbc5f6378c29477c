package dev.backuprestore.chart;

import com.google.re2j.Pattern;
import dev.backuprestore.api.v1.ResourceSelector;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Rancher's selection rules (docs/rancher-compat.md#selection) applied to one object, to check what
 * the chart's ResourceSets select. Test code: the operator's collector is the real implementation.
 */
final class SelectorSemantics {
  private SelectorSemantics() {}

  /** One object as a collector sees it: its type from discovery, its name, namespace and labels. */
  record Item(
      String apiVersion,
      String kind,
      String plural,
      boolean namespaced,
      String namespace,
      String name,
      Map<String, String> labels) {

    static Item clusterScoped(String apiVersion, String kind, String plural, String name) {
      return new Item(apiVersion, kind, plural, false, null, name, Map.of());
    }

    static Item namespaced(
        String apiVersion, String kind, String plural, String namespace, String name) {
      return new Item(apiVersion, kind, plural, true, namespace, name, Map.of());
    }

    Item withLabels(Map<String, String> newLabels) {
      return new Item(apiVersion, kind, plural, namespaced, namespace, name, newLabels);
    }
  }

  static boolean selectedByAny(List<ResourceSelector> selectors, Item item) {
    return selectors.stream().anyMatch(selector -> selects(selector, item));
  }

  static boolean selects(ResourceSelector selector, Item item) {
    return selector.getApiVersion().equals(item.apiVersion())
        && selectsKind(selector, item.kind(), item.plural())
        && selectsName(selector, item.name())
        && selectsNamespace(selector, item)
        && selectsLabels(selector.getLabelSelectors(), item.labels());
  }

  /**
   * Step 2: exact kinds ignore excludeKinds; kindsRegexp matches kind or plural, minus excludes.
   */
  static boolean selectsKind(ResourceSelector selector, String kind, String plural) {
    List<String> kinds = orEmpty(selector.getKinds());
    String regexp = selector.getKindsRegexp();
    if (kinds.isEmpty() && isEmpty(regexp)) {
      return true;
    }
    if (kinds.contains(kind) || kinds.contains(plural)) {
      return true;
    }
    if (isEmpty(regexp)) {
      return false;
    }
    List<String> excluded = orEmpty(selector.getExcludeKinds());
    return (matches(regexp, kind) || matches(regexp, plural))
        && !excluded.contains(kind)
        && !excluded.contains(plural);
  }

  /** Step 5: exact names bypass the exclude regexp. */
  static boolean selectsName(ResourceSelector selector, String name) {
    List<String> names = orEmpty(selector.getResourceNames());
    String include = selector.getResourceNameRegexp();
    String exclude = selector.getExcludeResourceNameRegexp();
    if (names.isEmpty() && isEmpty(include) && isEmpty(exclude)) {
      return true;
    }
    if (names.contains(name)) {
      return true;
    }
    if (isEmpty(include) && isEmpty(exclude)) {
      return false;
    }
    return (isEmpty(include) || matches(include, name))
        && (isEmpty(exclude) || !matches(exclude, name));
  }

  /** Step 6: only for namespaced kinds. */
  static boolean selectsNamespace(ResourceSelector selector, Item item) {
    List<String> namespaces = orEmpty(selector.getNamespaces());
    String regexp = selector.getNamespaceRegexp();
    if (!item.namespaced() || (namespaces.isEmpty() && isEmpty(regexp))) {
      return true;
    }
    return namespaces.contains(item.namespace())
        || (!isEmpty(regexp) && matches(regexp, item.namespace()));
  }

  static boolean selectsLabels(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream()
            .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    for (LabelSelectorRequirement requirement : orEmpty(selector.getMatchExpressions())) {
      String value = labels.get(requirement.getKey());
      boolean holds =
          switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("operator " + requirement.getOperator());
          };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  /** RE2, unanchored, with Rancher's "." special case meaning everything. */
  static boolean matches(String regexp, String value) {
    return ".".equals(regexp) || Pattern.compile(regexp).matcher(value).find();
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}

package dev.backuprestore.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.kube.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The client-side filters of one {@link ResourceSelector}, with exactly the semantics of Rancher's
 * {@code filterByKind}, {@code filterByName} and {@code filterByNamespace}. Regular expressions are
 * RE2 (RE2J), unanchored ({@code find}); {@code "."} as kindsRegexp or namespaceRegexp matches
 * everything.
 *
 * <p>Like Rancher, a regexp is compiled only when its filter is first needed, so an invalid
 * namespaceRegexp on a selector that only matches cluster-scoped types is not an error. An invalid
 * regexp throws a permanent {@link CollectionException} naming the selector field.
 *
 * <p>One instance serves one selector in one collection run; it is not thread-safe.
 */
public final class SelectorFilters {
  private final ResourceSelector selector;
  private Predicate<String> nameFilter;
  private Predicate<String> namespaceFilter;

  public SelectorFilters(ResourceSelector selector) {
    this.selector = selector;
  }

  /**
   * Keeps the types whose kind or plural name is exactly in {@code kinds} (excludeKinds does not
   * apply to them), plus those that kindsRegexp matches by kind or plural and that excludeKinds
   * names neither by kind nor by plural. With neither kinds nor kindsRegexp, keeps all types and
   * ignores excludeKinds. Order is kept.
   */
  public List<ResourceType> filterByKind(List<ResourceType> types) {
    List<String> kinds = orEmpty(selector.getKinds());
    String kindsRegexp = orEmpty(selector.getKindsRegexp());
    if (kinds.isEmpty() && kindsRegexp.isEmpty()) {
      return types;
    }
    Pattern pattern = kindsRegexp.isEmpty() ? null : compile("kindsRegexp", kindsRegexp);
    Set<String> allowed = new HashSet<>(kinds);
    Set<String> excluded = new HashSet<>(orEmpty(selector.getExcludeKinds()));
    List<ResourceType> kept = new ArrayList<>();
    for (ResourceType type : types) {
      if (allowed.contains(type.kind()) || allowed.contains(type.plural())) {
        kept.add(type);
      } else if (pattern != null
          && (kindsRegexp.equals(".") || find(pattern, type.kind()) || find(pattern, type.plural()))
          && !excluded.contains(type.kind())
          && !excluded.contains(type.plural())) {
        kept.add(type);
      }
    }
    return kept;
  }

  /** Applies {@link #nameFilter()} to {@code metadata.name} of each object, keeping order. */
  public <T extends JsonNode> List<T> filterByName(List<T> objects) {
    Predicate<String> filter = nameFilter();
    return objects.stream().filter(object -> filter.test(nameOf(object))).toList();
  }

  /**
   * Applies {@link #namespaceFilter()} to {@code metadata.namespace} of each object, keeping order.
   * The collector calls it only for namespaced types.
   */
  public <T extends JsonNode> List<T> filterByNamespace(List<T> objects) {
    Predicate<String> filter = namespaceFilter();
    return objects.stream().filter(object -> filter.test(namespaceOf(object))).toList();
  }

  /** True when namespaces or namespaceRegexp is set, i.e. namespaced types are filtered. */
  public boolean hasNamespaceFilter() {
    return !orEmpty(selector.getNamespaces()).isEmpty()
        || !orEmpty(selector.getNamespaceRegexp()).isEmpty();
  }

  /**
   * The name test: everything passes when resourceNames, resourceNameRegexp and
   * excludeResourceNameRegexp are all empty. Otherwise a name exactly in resourceNames passes (the
   * exclude regexp does not apply to it); any other name passes when a regexp is set, it matches
   * resourceNameRegexp (if set) and it does not match excludeResourceNameRegexp (if set).
   */
  public Predicate<String> nameFilter() {
    if (nameFilter == null) {
      nameFilter = compileNameFilter();
    }
    return nameFilter;
  }

  /**
   * The namespace test: a namespace passes when it is in namespaces, or namespaceRegexp is set and
   * is {@code "."} or matches. Everything passes when neither is set.
   */
  public Predicate<String> namespaceFilter() {
    if (namespaceFilter == null) {
      namespaceFilter = compileNamespaceFilter();
    }
    return namespaceFilter;
  }

  private Predicate<String> compileNameFilter() {
    Set<String> names = new HashSet<>(orEmpty(selector.getResourceNames()));
    String includeRegexp = orEmpty(selector.getResourceNameRegexp());
    String excludeRegexp = orEmpty(selector.getExcludeResourceNameRegexp());
    if (names.isEmpty() && includeRegexp.isEmpty() && excludeRegexp.isEmpty()) {
      return name -> true;
    }
    Pattern include = includeRegexp.isEmpty() ? null : compile("resourceNameRegexp", includeRegexp);
    Pattern exclude =
        excludeRegexp.isEmpty() ? null : compile("excludeResourceNameRegexp", excludeRegexp);
    boolean hasRegexp = include != null || exclude != null;
    return name ->
        names.contains(name)
            || (hasRegexp
                && (include == null || find(include, name))
                && (exclude == null || !find(exclude, name)));
  }

  private Predicate<String> compileNamespaceFilter() {
    Set<String> namespaces = new HashSet<>(orEmpty(selector.getNamespaces()));
    String regexp = orEmpty(selector.getNamespaceRegexp());
    if (namespaces.isEmpty() && regexp.isEmpty()) {
      return namespace -> true;
    }
    Pattern pattern = regexp.isEmpty() ? null : compile("namespaceRegexp", regexp);
    boolean matchAll = regexp.equals(".");
    return namespace ->
        namespaces.contains(namespace) || matchAll || (pattern != null && find(pattern, namespace));
  }

  private Pattern compile(String field, String regexp) {
    try {
      return Pattern.compile(regexp);
    } catch (PatternSyntaxException e) {
      throw new CollectionException(
          "error in " + field + " pattern " + regexp + ": " + e.getMessage(), true, e);
    }
  }

  private static boolean find(Pattern pattern, String text) {
    return pattern.matcher(text).find();
  }

  static String nameOf(JsonNode object) {
    return object.path("metadata").path("name").asText("");
  }

  static String namespaceOf(JsonNode object) {
    return object.path("metadata").path("namespace").asText("");
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}

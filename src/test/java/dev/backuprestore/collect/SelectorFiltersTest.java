package dev.backuprestore.collect;

import static dev.backuprestore.collect.RancherCollectorTestData.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.kube.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Rancher's {@code collector_test.go} cases, with its YAML stubs and expected counts, plus the
 * edges of docs/rancher-compat.md#selection that those tests do not cover.
 */
class SelectorFiltersTest {

  private static ResourceSelector selector() {
    ResourceSelector selector = new ResourceSelector();
    selector.setApiVersion("v1");
    return selector;
  }

  private static List<String> names(List<ObjectNode> objects) {
    return objects.stream().map(SelectorFilters::nameOf).toList();
  }

  /** Like Rancher's test helper: an APIResource per stub object, Kind = kind, Name = name. */
  private static List<ResourceType> typesFrom(String stub) {
    return load(stub).stream()
        .map(
            object ->
                new ResourceType(
                    "",
                    "v1",
                    SelectorFilters.nameOf(object),
                    object.path("kind").asText(),
                    true,
                    List.of("list")))
        .toList();
  }

  @Nested
  class FilterByName {
    @Test
    void emptyFilterKeepsEverything() {
      assertThat(new SelectorFilters(selector()).filterByName(load("pets01"))).hasSize(3);
    }

    @Test
    void onlyResourceNameRegexpKeepsMatchesInOrder() {
      ResourceSelector selector = selector();
      selector.setResourceNameRegexp("^hotdog");

      List<ObjectNode> result =
          new SelectorFilters(selector).filterByName(load("hamburgerStand01"));

      assertThat(result)
          .extracting(SelectorFilters::nameOf, SelectorFilters::namespaceOf)
          .containsExactly(
              tuple("hotdog", "hotdog-stand"),
              tuple("hotdog-with-cheese", "hotdog-stand"),
              tuple("hotdog", "hotdog-cart"));
    }

    @Test
    void excludeRegexpWithWildcardInclude() {
      ResourceSelector selector = selector();
      selector.setNamespaceRegexp("^cattle-fleet-|^fleet-");
      selector.setResourceNameRegexp(".");
      selector.setExcludeResourceNameRegexp("^default$");

      assertThat(names(new SelectorFilters(selector).filterByName(load("serviceAccounts01"))))
          .containsExactly("fleet-agent");
    }

    @Test
    void excludeRegexpWithoutInclude() {
      ResourceSelector selector = selector();
      selector.setNamespaceRegexp("^cattle-fleet-|^fleet-");
      selector.setExcludeResourceNameRegexp("^default$");

      assertThat(names(new SelectorFilters(selector).filterByName(load("serviceAccounts01"))))
          .containsExactly("fleet-agent");
    }

    @Test
    void resourceNameRegexpWithStaticNames() {
      ResourceSelector selector = selector();
      selector.setResourceNameRegexp("^fleet-");
      selector.setResourceNames(List.of("gitjob", "test"));

      assertThat(names(new SelectorFilters(selector).filterByName(load("service01"))))
          .containsExactly("gitjob");
    }

    @Test
    void onlyResourceNames() {
      ResourceSelector selector = selector();
      selector.setResourceNames(List.of("hotdog", "hamburger", "fries"));

      assertThat(names(new SelectorFilters(selector).filterByName(load("hamburgerStand01"))))
          .containsExactly("hotdog", "hotdog", "hamburger");
    }

    @Test
    void exactNamesBypassTheExcludeRegexpWithoutDuplicates() {
      ResourceSelector selector = selector();
      selector.setExcludeResourceNameRegexp(".*burger.*|^raw-");
      selector.setResourceNames(List.of("hotdog", "hamburger-with-cheese"));

      assertThat(names(new SelectorFilters(selector).filterByName(load("hamburgerStand01"))))
          .containsExactly(
              "hotdog", "hotdog-with-cheese", "hotdog", "popsicle", "hamburger-with-cheese");
    }

    @Test
    void excludeRegexpStillAppliesWhenNoExactNameMatches() {
      ResourceSelector selector = selector();
      selector.setExcludeResourceNameRegexp(".*burger.*|^raw-");
      selector.setResourceNames(List.of("lobster", "geoduck"));

      assertThat(names(new SelectorFilters(selector).filterByName(load("hamburgerStand01"))))
          .containsExactly("hotdog", "hotdog-with-cheese", "hotdog", "popsicle");
    }

    @Test
    void invalidResourceNameRegexpNamesTheField() {
      ResourceSelector selector = selector();
      selector.setResourceNameRegexp("orphaned open paren: ) is invalid");
      selector.setExcludeResourceNameRegexp(".");

      assertThatThrownBy(() -> new SelectorFilters(selector).filterByName(load("hamburgerStand01")))
          .isInstanceOf(CollectionException.class)
          .hasMessageStartingWith(
              "error in resourceNameRegexp pattern orphaned open paren: ) is invalid: ")
          .satisfies(e -> assertThat(((CollectionException) e).isPermanent()).isTrue());
    }

    @Test
    void invalidExcludeResourceNameRegexpNamesTheField() {
      ResourceSelector selector = selector();
      selector.setResourceNameRegexp("closed-brace.{3}");
      selector.setExcludeResourceNameRegexp("(unclosed paren");

      assertThatThrownBy(() -> new SelectorFilters(selector).filterByName(load("hamburgerStand01")))
          .isInstanceOf(CollectionException.class)
          .hasMessageStartingWith("error in excludeResourceNameRegexp pattern (unclosed paren: ");
    }

    @Test
    void regexpIsUnanchoredRe2() {
      ResourceSelector selector = selector();
      selector.setResourceNameRegexp("cheese");

      assertThat(names(new SelectorFilters(selector).filterByName(load("hamburgerStand01"))))
          .containsExactly("hotdog-with-cheese", "hamburger-with-cheese", "cheeseburger");
    }

    @Test
    void re2SyntaxThatJavaRegexAcceptsIsRejected() {
      // Backreferences and lookaheads are Java-only; RE2 (Go) refuses them.
      ResourceSelector selector = selector();
      selector.setResourceNameRegexp("^(?=hot)");

      assertThatThrownBy(() -> new SelectorFilters(selector).filterByName(load("pets01")))
          .isInstanceOf(CollectionException.class);
    }
  }

  @Nested
  class FilterByKind {
    @Test
    void kindsOnly() {
      ResourceSelector selector = selector();
      selector.setKinds(List.of("Cat", "Dog"));

      assertThat(new SelectorFilters(selector).filterByKind(typesFrom("pets02DifferentKinds")))
          .extracting(ResourceType::plural)
          .containsExactly("boris", "natasha", "skipper");
    }

    @Test
    void kindsPlusKindsRegexp() {
      ResourceSelector selector = selector();
      selector.setKinds(List.of("Dog"));
      selector.setKindsRegexp("^Cat\\b");

      assertThat(new SelectorFilters(selector).filterByKind(typesFrom("pets02DifferentKinds")))
          .extracting(ResourceType::plural)
          .containsExactly("boris", "natasha", "skipper");
    }

    @Test
    void dotRegexpMinusExcludeKinds() {
      ResourceSelector selector = selector();
      selector.setExcludeKinds(List.of("Cat"));
      selector.setKindsRegexp(".");

      assertThat(new SelectorFilters(selector).filterByKind(typesFrom("pets02DifferentKinds")))
          .extracting(ResourceType::plural)
          .containsExactly("skipper", "sam", "megan", "lily");
    }

    @Test
    void invalidKindsRegexpNamesTheField() {
      ResourceSelector selector = selector();
      selector.setKindsRegexp("bad: [missing close-bracket");

      assertThatThrownBy(
              () -> new SelectorFilters(selector).filterByKind(typesFrom("pets02DifferentKinds")))
          .isInstanceOf(CollectionException.class)
          .hasMessageStartingWith("error in kindsRegexp pattern bad: [missing close-bracket: ");
    }

    private final List<ResourceType> core =
        List.of(
            new ResourceType("", "v1", "secrets", "Secret", true, List.of("list")),
            new ResourceType("", "v1", "configmaps", "ConfigMap", true, List.of("list")),
            new ResourceType("", "v1", "namespaces", "Namespace", false, List.of("list")));

    @Test
    void withoutKindsOrRegexpExcludeKindsIsIgnored() {
      ResourceSelector selector = selector();
      selector.setExcludeKinds(List.of("Secret"));

      assertThat(new SelectorFilters(selector).filterByKind(core)).isEqualTo(core);
    }

    @Test
    void exactKindsMatchPluralAndIgnoreExcludeKinds() {
      ResourceSelector selector = selector();
      selector.setKinds(List.of("secrets", "Namespace"));
      selector.setExcludeKinds(List.of("Secret", "namespaces"));

      assertThat(new SelectorFilters(selector).filterByKind(core))
          .extracting(ResourceType::plural)
          .containsExactly("secrets", "namespaces");
    }

    @Test
    void regexpMatchesPluralAndExcludeKindsMatchesEitherName() {
      ResourceSelector selector = selector();
      selector.setKindsRegexp("^(secrets|configmaps)$");
      selector.setExcludeKinds(List.of("ConfigMap"));

      assertThat(new SelectorFilters(selector).filterByKind(core))
          .extracting(ResourceType::plural)
          .containsExactly("secrets");
    }
  }

  @Nested
  class FilterByNamespace {
    @Test
    void nameThenNamespaceIsAndedEvenForExactNames() {
      ResourceSelector selector = selector();
      selector.setNamespaceRegexp("^hotdog");
      selector.setResourceNameRegexp(".");
      selector.setExcludeResourceNameRegexp(".*burger.*|^raw-");
      selector.setResourceNames(List.of("hamburger", "cheeseburger", "fries"));
      SelectorFilters filters = new SelectorFilters(selector);

      List<ObjectNode> byName = filters.filterByName(load("hamburgerStand01"));
      assertThat(byName).hasSize(6);

      // Rancher's test says "Should be 5 after bug fix"; 4 is the behaviour we keep.
      assertThat(names(filters.filterByNamespace(byName)))
          .containsExactly("hotdog", "hotdog-with-cheese", "hotdog", "popsicle");
    }

    @Test
    void invalidNamespaceRegexpNamesTheField() {
      ResourceSelector selector = selector();
      selector.setNamespaceRegexp(")");

      assertThatThrownBy(
              () -> new SelectorFilters(selector).filterByNamespace(load("pets02DifferentKinds")))
          .isInstanceOf(CollectionException.class)
          .hasMessageStartingWith("error in namespaceRegexp pattern ): ");
    }

    @Test
    void exactNamespacesOrRegexp() {
      ResourceSelector selector = selector();
      selector.setNamespaces(List.of("hamburger-hut"));
      selector.setNamespaceRegexp("-stand$");

      assertThat(
              new SelectorFilters(selector)
                  .filterByNamespace(load("hamburgerStand01")).stream()
                      .map(SelectorFilters::namespaceOf)
                      .distinct())
          .containsExactly("hotdog-stand", "hamburger-hut");
    }

    @Test
    void dotMatchesEveryNamespace() {
      ResourceSelector selector = selector();
      selector.setNamespaceRegexp(".");

      assertThat(new SelectorFilters(selector).filterByNamespace(load("hamburgerStand01")))
          .hasSize(8);
      assertThat(new SelectorFilters(selector).namespaceFilter().test("")).isTrue();
    }

    @Test
    void noNamespaceFilter() {
      SelectorFilters filters = new SelectorFilters(selector());

      assertThat(filters.hasNamespaceFilter()).isFalse();
      assertThat(filters.filterByNamespace(load("pets01"))).hasSize(3);
    }

    @Test
    void invalidRegexpIsOnlyAnErrorWhenItsFilterIsUsed() {
      ResourceSelector selector = selector();
      selector.setNamespaceRegexp(")");
      selector.setResourceNameRegexp("(");
      SelectorFilters filters = new SelectorFilters(selector);

      // Rancher compiles lazily: kind filtering of cluster-scoped types does not fail.
      assertThat(filters.filterByKind(typesFrom("pets01"))).hasSize(3);
      assertThat(filters.hasNamespaceFilter()).isTrue();
    }
  }
}

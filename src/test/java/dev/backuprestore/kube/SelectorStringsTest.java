package dev.backuprestore.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorStringsTest {

  @Test
  void nullOrEmptyLabelSelectorSelectsEverything() {
    assertThat(SelectorStrings.labelSelector(null)).isEmpty();
    assertThat(SelectorStrings.labelSelector(new LabelSelector())).isEmpty();
    assertThat(SelectorStrings.labelSelector(new LabelSelector(null, null))).isEmpty();
  }

  @Test
  void matchLabelsAreSortedByKey() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("tier", "web");
    labels.put("app.kubernetes.io/name", "shop");
    labels.put("env", "");

    assertThat(SelectorStrings.labelSelector(new LabelSelector(null, labels)))
        .isEqualTo("app.kubernetes.io/name=shop,env=,tier=web");
  }

  @Test
  void setBasedRequirementsLikeGo() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("zone")
            .withOperator("NotIn")
            .withValues("b", "a")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("resources.cattle.io/backup")
            .withOperator("In")
            .withValues("true")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("legacy")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("Exists")
            .endMatchExpression()
            .build();

    assertThat(SelectorStrings.labelSelector(selector))
        .isEqualTo("app,!legacy,resources.cattle.io/backup in (true),zone notin (a,b)");
  }

  @Test
  void matchLabelsComeBeforeExpressionsOfTheSameKey() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("app", "web"))
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("In")
            .withValues("web", "api")
            .endMatchExpression()
            .build();

    assertThat(SelectorStrings.labelSelector(selector)).isEqualTo("app=web,app in (api,web)");
  }

  @Test
  void unknownOperatorIsRejectedWithGosMessage() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("in")
            .withValues("x")
            .endMatchExpression()
            .build();

    assertThatThrownBy(() -> SelectorStrings.labelSelector(selector))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"in\" is not a valid label selector operator");
  }

  @Test
  void inWithoutValuesAndExistsWithValuesAreRejected() {
    LabelSelector noValues =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("In")
            .endMatchExpression()
            .build();
    LabelSelector existsWithValues =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("Exists")
            .withValues("x")
            .endMatchExpression()
            .build();

    assertThatThrownBy(() -> SelectorStrings.labelSelector(noValues))
        .hasMessageContaining("values set can't be empty");
    assertThatThrownBy(() -> SelectorStrings.labelSelector(existsWithValues))
        .hasMessageContaining("values set must be empty");
  }

  @Test
  void invalidKeysAndValuesAreRejected() {
    assertThatThrownBy(
            () -> SelectorStrings.labelSelector(new LabelSelector(null, Map.of("bad key", "x"))))
        .hasMessageContaining("\"bad key\"");
    assertThatThrownBy(
            () -> SelectorStrings.labelSelector(new LabelSelector(null, Map.of("/name", "x"))))
        .hasMessageContaining("prefix part must be non-empty");
    assertThatThrownBy(
            () ->
                SelectorStrings.labelSelector(
                    new LabelSelector(null, Map.of("Example.com/a", "x"))))
        .hasMessageContaining("prefix part");
    assertThatThrownBy(
            () -> SelectorStrings.labelSelector(new LabelSelector(null, Map.of("a", "x,y"))))
        .hasMessageContaining("value \"x,y\"");
    assertThatThrownBy(
            () ->
                SelectorStrings.labelSelector(new LabelSelector(null, Map.of("a", "v".repeat(64)))))
        .hasMessageContaining("63 characters");
  }

  @Test
  void fieldSelectorHasSortedKeysAndEscapedValues() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("type", "kubernetes.io/tls");
    fields.put("metadata.name", "a,b=c\\d");

    assertThat(SelectorStrings.fieldSelector(fields))
        .isEqualTo("metadata.name=a\\,b\\=c\\\\d,type=kubernetes.io/tls");
  }

  @Test
  void nullOrEmptyFieldSelectorSelectsEverything() {
    assertThat(SelectorStrings.fieldSelector(null)).isEmpty();
    assertThat(SelectorStrings.fieldSelector(Map.of())).isEmpty();
  }

  @Test
  void singleValueNeedsNoSorting() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("k")
            .withOperator("In")
            .withValues(List.of("only"))
            .endMatchExpression()
            .build();
    assertThat(SelectorStrings.labelSelector(selector)).isEqualTo("k in (only)");
  }
}

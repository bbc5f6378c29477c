package dev.backuprestore.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The wire form of label and field selectors, built exactly like Go's {@code
 * metav1.LabelSelectorAsSelector(s).String()} and {@code fields.SelectorFromSet(m).String()}.
 */
public final class SelectorStrings {
  private static final int QUALIFIED_NAME_MAX_LENGTH = 63;
  private static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private SelectorStrings() {}

  /**
   * The label selector string, e.g. {@code app=web,!legacy,tier in (a,b)}: requirements sorted by
   * key (matchLabels before matchExpressions of the same key), values of {@code in}/{@code notin}
   * sorted. A null selector, or one with no matchLabels and no matchExpressions, selects everything
   * and gives "".
   *
   * @throws IllegalArgumentException for an unknown operator, an invalid key or value, values on
   *     Exists/DoesNotExist, or no values on In/NotIn (as Go rejects them)
   */
  public static String labelSelector(LabelSelector selector) {
    if (selector == null) {
      return "";
    }
    Map<String, String> matchLabels =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    List<Requirement> requirements = new ArrayList<>();
    matchLabels.forEach(
        (key, value) -> requirements.add(requirement(key, "=", Arrays.asList(value))));
    for (LabelSelectorRequirement expression : expressions) {
      List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
      requirements.add(
          requirement(expression.getKey(), operator(expression.getOperator()), values));
    }
    // List.sort is stable, like Go's sort.Sort on these short slices (insertion sort).
    requirements.sort(Comparator.comparing(Requirement::key));
    List<String> parts = new ArrayList<>(requirements.size());
    requirements.forEach(requirement -> parts.add(requirement.toString()));
    return String.join(",", parts);
  }

  /**
   * The field selector string {@code k1=v1,k2=v2} with keys in sorted order and {@code \ , =}
   * escaped in values with a backslash (Go's {@code fields.EscapeValue}); "" for null or empty.
   */
  public static String fieldSelector(Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      return "";
    }
    List<String> terms = new ArrayList<>(fields.size());
    new TreeMap<>(fields)
        .forEach((field, value) -> terms.add(field + "=" + escapeFieldValue(value)));
    return String.join(",", terms);
  }

  private static String escapeFieldValue(String value) {
    if (value == null) {
      return "";
    }
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
  }

  /** The label selector operator in the string form: "=", "in", "notin", "exists", "!". */
  private static String operator(String labelSelectorOperator) {
    if (labelSelectorOperator == null) {
      labelSelectorOperator = "";
    }
    return switch (labelSelectorOperator) {
      case "In" -> "in";
      case "NotIn" -> "notin";
      case "Exists" -> "exists";
      case "DoesNotExist" -> "!";
      default ->
          throw new IllegalArgumentException(
              "\"" + labelSelectorOperator + "\" is not a valid label selector operator");
    };
  }

  private static Requirement requirement(String key, String operator, List<String> rawValues) {
    key = key == null ? "" : key;
    List<String> values = new ArrayList<>(rawValues.size());
    rawValues.forEach(value -> values.add(value == null ? "" : value));
    validateKey(key);
    switch (operator) {
      case "in", "notin" -> {
        if (values.isEmpty()) {
          throw invalid(key, "for 'in', 'notin' operators, values set can't be empty");
        }
      }
      case "exists", "!" -> {
        if (!values.isEmpty()) {
          throw invalid(key, "values set must be empty for exists and does not exist");
        }
      }
      default -> {
        // "=" from matchLabels always has exactly one value.
      }
    }
    for (String checked : values) {
      if (checked.length() > QUALIFIED_NAME_MAX_LENGTH || !LABEL_VALUE.matcher(checked).matches()) {
        throw invalid(
            key,
            "value \""
                + checked
                + "\" must be no more than 63 characters, empty or alphanumeric characters, '-',"
                + " '_' or '.' that start and end with an alphanumeric character");
      }
    }
    return new Requirement(key, operator, values);
  }

  /** Go's {@code validation.IsQualifiedName}: an optional DNS-1123 subdomain prefix and a name. */
  private static void validateKey(String key) {
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        throw invalid(key, "prefix part must be non-empty");
      }
      if (prefix.length() > DNS1123_SUBDOMAIN_MAX_LENGTH
          || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
        throw invalid(
            key, "prefix part must be a lowercase RFC 1123 subdomain of at most 253 characters");
      }
    } else {
      throw invalid(key, "a qualified name must have at most one '/'");
    }
    if (name.isEmpty()) {
      throw invalid(key, "name part must be non-empty");
    }
    if (name.length() > QUALIFIED_NAME_MAX_LENGTH) {
      throw invalid(key, "name part must be no more than 63 characters");
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      throw invalid(
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start"
              + " and end with an alphanumeric character");
    }
  }

  private static IllegalArgumentException invalid(String key, String reason) {
    return new IllegalArgumentException("invalid label selector key \"" + key + "\": " + reason);
  }

  private record Requirement(String key, String operator, List<String> values) {
    @Override
    public String toString() {
      return switch (operator) {
        case "exists" -> key;
        case "!" -> "!" + key;
        case "=" -> key + "=" + values.get(0);
        default -> key + " " + operator + " (" + sortedValues() + ")";
      };
    }

    private String sortedValues() {
      List<String> sorted = new ArrayList<>(values);
      sorted.sort(Comparator.naturalOrder());
      return String.join(",", sorted);
    }
  }
}

package dev.backuprestore.cli.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Field-level differences of two objects: {@code spec.replicas: 1 -> 3}, {@code + data.new: "x"},
 * {@code - data.old: "y"}. Arrays are compared element by element ({@code spec.ports[0].port}).
 */
final class FieldDiff {
  private static final int MAX_VALUE = 120;

  /** One difference at a field path. */
  record Change(String field, JsonNode before, JsonNode after) {
    String describe(boolean redact) {
      if (before == null) {
        return "+ " + field + ": " + show(after, redact);
      }
      if (after == null) {
        return "- " + field + ": " + show(before, redact);
      }
      return "~ " + field + ": " + show(before, redact) + " -> " + show(after, redact);
    }

    private static String show(JsonNode value, boolean redact) {
      if (redact) {
        return "(redacted)";
      }
      String text = Json.compact(value);
      return text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE) + "..." : text;
    }
  }

  private FieldDiff() {}

  static List<Change> diff(JsonNode before, JsonNode after) {
    List<Change> changes = new ArrayList<>();
    walk("", before, after, changes);
    return changes;
  }

  private static void walk(String field, JsonNode before, JsonNode after, List<Change> changes) {
    if (before.equals(after)) {
      return;
    }
    if (before.isObject() && after.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      before.fieldNames().forEachRemaining(names::add);
      after.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String child = field.isEmpty() ? name : field + "." + name;
        JsonNode b = before.get(name);
        JsonNode a = after.get(name);
        if (b == null) {
          changes.add(new Change(child, null, a));
        } else if (a == null) {
          changes.add(new Change(child, b, null));
        } else {
          walk(child, b, a, changes);
        }
      }
      return;
    }
    if (before.isArray() && after.isArray()) {
      int common = Math.min(before.size(), after.size());
      for (int i = 0; i < common; i++) {
        walk(field + "[" + i + "]", before.get(i), after.get(i), changes);
      }
      for (int i = common; i < before.size(); i++) {
        changes.add(new Change(field + "[" + i + "]", before.get(i), null));
      }
      for (int i = common; i < after.size(); i++) {
        changes.add(new Change(field + "[" + i + "]", null, after.get(i)));
      }
      return;
    }
    changes.add(new Change(field, before, after));
  }

  /**
   * Removes what the API server (or a controller) sets, so that a diff shows what a user changed:
   * uid, resourceVersion, generation, timestamps, managedFields, the owner references' UIDs, and
   * {@code status} unless asked for.
   */
  static void normalize(ObjectNode object, boolean keepStatus) {
    if (object.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove(
          List.of(
              "uid",
              "resourceVersion",
              "generation",
              "creationTimestamp",
              "deletionTimestamp",
              "deletionGracePeriodSeconds",
              "selfLink",
              "managedFields"));
      JsonNode owners = metadata.get("ownerReferences");
      if (owners != null && owners.isArray()) {
        for (Iterator<JsonNode> it = owners.elements(); it.hasNext(); ) {
          if (it.next() instanceof ObjectNode owner) {
            owner.remove("uid");
          }
        }
      }
    }
    if (!keepStatus) {
      object.remove("status");
    }
  }

  /** Secret values are not printed unless asked for. */
  static boolean isSecretValue(String group, String resource, String field) {
    return group.isEmpty()
        && resource.equals("secrets")
        && (field.startsWith("data") || field.startsWith("stringData"));
  }
}

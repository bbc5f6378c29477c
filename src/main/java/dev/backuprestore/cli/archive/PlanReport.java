package dev.backuprestore.cli.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.cli.archive.PlanObserver.ObjectEvent;
import dev.backuprestore.restore.PlannedObject;
import dev.backuprestore.restore.RestoreObserver.Outcome;
import dev.backuprestore.restore.RestoreResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A dry run's events as a plan: the objects in the order the restore applies them (CRDs,
 * cluster-scoped waves, namespaced waves, owners before dependents) with what would happen to each,
 * what prune would delete, and the problems: objects the cluster cannot take (404: API version or
 * CRD missing; other refusals: schema or admission) and owner-reference problems. A refusal that
 * only means "the restore creates its Namespace or CRD first" is not a problem: the object is
 * created, unchecked.
 */
final class PlanReport {
  /** One line of the plan. */
  record Step(String action, PlannedObject object, String note) {}

  final List<Step> steps = new ArrayList<>();
  final List<String> pruned = new ArrayList<>();
  final List<String> cannotTake = new ArrayList<>();
  final List<String> ownerProblems = new ArrayList<>();
  final List<String> scaled = new ArrayList<>();
  final List<String> namespacesCreated;
  final List<String> warnings = new ArrayList<>();

  PlanReport(PlanObserver observer, RestoreResult result) {
    namespacesCreated = observer.namespaces.stream().sorted().toList();
    List<ObjectEvent> events = new ArrayList<>(observer.objects());
    events.sort(
        Comparator.comparingInt((ObjectEvent e) -> phase(e.object()))
            .thenComparingInt(e -> e.object().wave())
            .thenComparing(e -> e.object().path().path()));
    Set<String> newNamespaces = new HashSet<>(namespacesCreated);
    Set<String> newCrds = new HashSet<>();
    for (ObjectEvent event : events) {
      ObjectPath path = event.object().path();
      if (event.outcome() == Outcome.CREATED
          && path.group().isEmpty()
          && path.resource().equals("namespaces")) {
        newNamespaces.add(path.name());
      }
      if (event.outcome() == Outcome.CREATED && event.object().isCrd()) {
        newCrds.add(path.name());
      }
    }
    Set<String> unchecked = new HashSet<>();
    for (ObjectEvent event : events) {
      PlannedObject object = event.object();
      ObjectPath path = object.path();
      switch (event.outcome()) {
        case CREATED -> steps.add(new Step("create", object, ""));
        case UPDATED -> steps.add(new Step("update", object, ""));
        case UNCHANGED -> steps.add(new Step("unchanged", object, ""));
        case SKIPPED -> steps.add(new Step("skip", object, event.detail()));
        case FAILED -> {
          String reason = uncheckedReason(event, newNamespaces, newCrds, unchecked);
          if (reason != null) {
            unchecked.add(object.describe());
            steps.add(new Step("create", object, "not checked by the API server: " + reason));
          } else if (event.statusCode() == 0) {
            ownerProblems.add(object.describe() + ": " + event.detail());
            steps.add(new Step("fail", object, event.detail()));
          } else if (event.statusCode() == 404) {
            cannotTake.add(
                object.describe()
                    + ": the cluster does not serve "
                    + (path.group().isEmpty() ? "" : path.group() + "/")
                    + path.version()
                    + " "
                    + path.resource()
                    + " (missing API version or CRD)"
                    + (event.detail().matches("[0-9]+( NotFound)?") ? "" : ": " + event.detail()));
            steps.add(new Step("fail", object, "API not served"));
          } else {
            cannotTake.add(object.describe() + ": refused by the API server: " + event.detail());
            steps.add(
                new Step("fail", object, "refused by the API server (" + event.statusCode() + ")"));
          }
        }
        default -> throw new IllegalStateException(event.outcome().name());
      }
    }
    observer.prunedPaths().stream().map(Entries::describe).sorted().forEach(pruned::add);
    for (PlanObserver.Scaled controller : observer.scaled) {
      scaled.add(
          Entries.describe(controller.path())
              + " (from "
              + (controller.replicas() == null ? "default" : controller.replicas().asText())
              + " replicas to 0, then back)");
    }
    for (String warning : result.warnings()) {
      if (warning.contains(": ownerReference to ")) {
        ownerProblems.add(warning);
      } else if (!warning.startsWith("namespace ")) {
        warnings.add(warning);
      }
    }
  }

  /** Why the server could not check an object that the restore does create, or null. */
  private static String uncheckedReason(
      ObjectEvent event, Set<String> newNamespaces, Set<String> newCrds, Set<String> unchecked) {
    ObjectPath path = event.object().path();
    if (event.statusCode() == 404 && newCrds.contains(path.resource() + "." + path.group())) {
      return "its CRD " + path.resource() + "." + path.group() + " is created by this restore";
    }
    if (event.statusCode() == 404
        && path.isNamespaced()
        && newNamespaces.contains(path.namespace())) {
      return "its namespace " + path.namespace() + " is created by this restore";
    }
    String detail = event.detail();
    if (event.statusCode() == 0 && detail.startsWith("its owner ")) {
      String owner = detail.substring("its owner ".length()).replace(" was not restored", "");
      if (unchecked.contains(owner)) {
        return "its owner " + owner + " is created by this restore";
      }
    }
    return null;
  }

  private static int phase(PlannedObject object) {
    return object.isCrd() ? 0 : object.isNamespaced() ? 2 : 1;
  }

  boolean hasProblems() {
    return !cannotTake.isEmpty() || !ownerProblems.isEmpty();
  }

  long count(String action) {
    return steps.stream().filter(s -> s.action().equals(action)).count();
  }

  void print(PrintWriter out, String archive, String server) {
    out.println("Restore plan for " + archive + " on " + server);
    out.println("(a server-side dry run of every object: nothing was changed)");
    if (!scaled.isEmpty()) {
      out.println();
      out.println("Controllers scaled down while restoring:");
      scaled.forEach(line -> out.println("  " + line));
    }
    if (!namespacesCreated.isEmpty()) {
      out.println();
      out.println("Namespaces created (not in the archive, but objects of it live there):");
      namespacesCreated.forEach(ns -> out.println("  " + ns));
    }
    out.println();
    out.println("Objects, in restore order:");
    for (Step step : steps) {
      out.println(
          "  "
              + String.format("%-10s", step.action())
              + step.object().describe()
              + (step.note().isEmpty() ? "" : "  (" + step.note() + ")"));
    }
    out.println();
    out.println("Prune (selected by the archive's ResourceSet, absent from the archive):");
    if (pruned.isEmpty()) {
      out.println("  nothing");
    }
    pruned.forEach(line -> out.println("  delete    " + line));
    section(out, "Objects this cluster cannot take:", cannotTake);
    section(out, "Owner reference problems:", ownerProblems);
    section(out, "Warnings:", warnings);
    out.println();
    out.println(
        "Summary: "
            + count("create")
            + " create, "
            + count("update")
            + " update, "
            + count("unchanged")
            + " unchanged, "
            + count("skip")
            + " skip, "
            + pruned.size()
            + " prune, "
            + cannotTake.size()
            + " cannot be restored, "
            + ownerProblems.size()
            + " owner reference problems");
  }

  private static void section(PrintWriter out, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.println();
    out.println(title);
    lines.forEach(line -> out.println("  " + line));
  }

  ObjectNode toJson(String archive, String server) {
    ObjectNode json = Json.object();
    json.put("archive", archive);
    json.put("server", server);
    ArrayNode objects = json.putArray("objects");
    for (Step step : steps) {
      ObjectPath path = step.object().path();
      ObjectNode node = objects.addObject();
      node.put("action", step.action());
      node.put("group", path.group());
      node.put("version", path.version());
      node.put("resource", path.resource());
      node.put("namespace", path.namespace());
      node.put("name", path.name());
      if (!step.note().isEmpty()) {
        node.put("note", step.note());
      }
    }
    strings(json.putArray("prune"), pruned);
    strings(json.putArray("cannotTake"), cannotTake);
    strings(json.putArray("ownerReferenceProblems"), ownerProblems);
    strings(json.putArray("scaledDown"), scaled);
    strings(json.putArray("namespacesCreated"), namespacesCreated);
    strings(json.putArray("warnings"), warnings);
    return json;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}

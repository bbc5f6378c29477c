package dev.backuprestore.cli.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.restore.PlannedObject;
import dev.backuprestore.restore.RestoreObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects what a (dry) run does to each object; thread-safe. */
public final class PlanObserver implements RestoreObserver {
  /** One archived object's outcome. */
  public record ObjectEvent(PlannedObject object, Outcome outcome, String detail, int statusCode) {}

  /** A controller scaled down, with the replicas it had. */
  public record Scaled(ObjectPath path, JsonNode replicas) {}

  final List<ObjectEvent> objects = Collections.synchronizedList(new ArrayList<>());
  final List<ObjectPath> pruned = Collections.synchronizedList(new ArrayList<>());
  final List<Scaled> scaled = Collections.synchronizedList(new ArrayList<>());
  final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void object(PlannedObject object, Outcome outcome, String detail, int statusCode) {
    objects.add(new ObjectEvent(object, outcome, detail, statusCode));
  }

  @Override
  public void pruned(ObjectPath path) {
    pruned.add(path);
  }

  @Override
  public void scaledDown(ObjectPath controller, JsonNode replicas) {
    scaled.add(new Scaled(controller, replicas));
  }

  @Override
  public void namespaceCreated(String namespace) {
    namespaces.add(namespace);
  }

  public List<ObjectEvent> objects() {
    return List.copyOf(objects);
  }

  public List<ObjectPath> prunedPaths() {
    return List.copyOf(pruned);
  }
}

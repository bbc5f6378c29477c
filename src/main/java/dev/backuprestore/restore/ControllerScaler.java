package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.GroupVersion;
import dev.backuprestore.kube.KubeApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales the backup's {@code controllerReferences} (e.g. Rancher's deployment) to zero while a
 * restore runs, and back when it ends (docs/rancher-compat.md#controller-scaling): down once at the
 * start of the restore and up once at its end, however many runs (waits for CRDs, for the prune
 * grace period) the restore takes.
 *
 * <p>The original replica count is kept on the controller itself, in the annotation {@value
 * #ORIGINAL_REPLICAS} (JSON: a number, or {@code null} when {@code spec.replicas} was unset), set
 * by the same merge patch that scales it to zero. A later run, a restarted operator or another
 * restore therefore finds it and scales the controller back, never losing the count; a controller
 * that carries it is not scaled down (and its count not overwritten) again.
 *
 * <p>A controller that does not exist is skipped (normal when migrating to a new cluster). Scaling
 * problems are warnings, as in Rancher: they do not fail the restore. Merge patches of {@code
 * spec.replicas} and the annotation: no update conflicts.
 */
final class ControllerScaler {
  /** Where a scaled-down controller keeps its original {@code spec.replicas}. */
  static final String ORIGINAL_REPLICAS = "backuprestore.dev/original-replicas";

  private static final Logger LOG = LoggerFactory.getLogger(ControllerScaler.class);

  private final ObjectApi api;

  ControllerScaler(ObjectApi api) {
    this.api = api;
  }

  /** Scales every existing controller to zero unless it already is (annotated); returns them. */
  List<ObjectPath> scaleDown(List<ControllerReference> controllers, RestoreTally tally) {
    List<ObjectPath> scaled = new ArrayList<>();
    for (ControllerReference controller : controllers) {
      ObjectPath path = path(controller, tally);
      if (path == null) {
        continue;
      }
      try {
        Optional<ObjectNode> live = api.get(path);
        if (live.isEmpty()) {
          LOG.debug("Controller {} not found, not scaling it", PlannedObject.describe(path));
          continue;
        }
        scaled.add(path);
        if (originalReplicas(live.get()) != null) {
          LOG.debug("Controller {} is already scaled down", PlannedObject.describe(path));
          continue;
        }
        JsonNode replicas = live.get().path("spec").get("replicas");
        String original = replicas == null ? "null" : replicas.toString();
        ObjectNode patch = replicasPatch(ArchiveJson.MAPPER.getNodeFactory().numberNode(0));
        patch.putObject("metadata").putObject("annotations").put(ORIGINAL_REPLICAS, original);
        api.mergePatch(path, patch);
        tally.observer().scaledDown(path, replicas);
        LOG.info("Scaled {} down from {} replicas", PlannedObject.describe(path), original);
      } catch (KubeApiException e) {
        tally.warn("could not scale down " + PlannedObject.describe(path) + ": " + e.getMessage());
      }
    }
    return scaled;
  }

  /** Gives every controller that carries the annotation its original replicas back. */
  void scaleUp(List<ObjectPath> controllers, RestoreTally tally) {
    for (ObjectPath path : controllers) {
      try {
        Optional<ObjectNode> live = api.get(path);
        JsonNode replicas = live.map(ControllerScaler::originalReplicas).orElse(null);
        if (replicas == null) {
          continue;
        }
        ObjectNode patch = replicasPatch(replicas);
        patch.putObject("metadata").putObject("annotations").putNull(ORIGINAL_REPLICAS);
        api.mergePatch(path, patch);
        LOG.info("Scaled {} back to {} replicas", PlannedObject.describe(path), replicas);
      } catch (KubeApiException e) {
        tally.warn(
            "could not scale "
                + PlannedObject.describe(path)
                + " back (its original replicas are kept in the annotation "
                + ORIGINAL_REPLICAS
                + "): "
                + e.getMessage());
      }
    }
  }

  /** The paths of the controllers, skipping (with a warning) references that are malformed. */
  List<ObjectPath> paths(List<ControllerReference> controllers, RestoreTally tally) {
    List<ObjectPath> paths = new ArrayList<>();
    for (ControllerReference controller : controllers) {
      ObjectPath path = path(controller, tally);
      if (path != null) {
        paths.add(path);
      }
    }
    return paths;
  }

  private static ObjectPath path(ControllerReference controller, RestoreTally tally) {
    try {
      GroupVersion groupVersion = GroupVersion.parse(controller.getApiVersion());
      return new ObjectPath(
          groupVersion.group(),
          groupVersion.version(),
          controller.getResource(),
          controller.getNamespace(),
          controller.getName());
    } catch (IllegalArgumentException e) {
      tally.warn("controller reference " + controller.getName() + ": " + e.getMessage());
      return null;
    }
  }

  /** The saved replicas (NullNode for "unset"), or null when the controller is not scaled down. */
  private static JsonNode originalReplicas(ObjectNode live) {
    JsonNode saved = live.path("metadata").path("annotations").get(ORIGINAL_REPLICAS);
    if (saved == null || !saved.isTextual()) {
      return null;
    }
    try {
      JsonNode value = ArchiveJson.MAPPER.readTree(saved.asText());
      return value != null && (value.isIntegralNumber() || value.isNull())
          ? value
          : NullNode.getInstance();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return NullNode.getInstance();
    }
  }

  private static ObjectNode replicasPatch(JsonNode replicas) {
    ObjectNode patch = ArchiveJson.MAPPER.createObjectNode();
    patch.putObject("spec").set("replicas", replicas);
    return patch;
  }
}

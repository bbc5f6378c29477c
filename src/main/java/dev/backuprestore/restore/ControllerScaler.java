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
 * Scales the backup's {@code controllerReferences} (e.g. Rancher's deployment) to zero while a run
 * restores, and back to the saved replica count when it ends
 * (docs/rancher-compat.md#controller-scaling). A controller that does not exist is skipped (normal
 * when migrating to a new cluster). Scaling problems are warnings, as in Rancher: they do not fail
 * the restore. Uses merge patches of {@code spec.replicas}, so there are no update conflicts.
 */
final class ControllerScaler {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerScaler.class);

  private final ObjectApi api;

  ControllerScaler(ObjectApi api) {
    this.api = api;
  }

  /** A controller scaled down and the {@code spec.replicas} to give back (null if it had none). */
  record Scaled(ObjectPath path, JsonNode replicas) {}

  List<Scaled> scaleDown(List<ControllerReference> controllers, RestoreTally tally) {
    List<Scaled> scaled = new ArrayList<>();
    for (ControllerReference controller : controllers) {
      ObjectPath path;
      try {
        GroupVersion groupVersion = GroupVersion.parse(controller.getApiVersion());
        path =
            new ObjectPath(
                groupVersion.group(),
                groupVersion.version(),
                controller.getResource(),
                controller.getNamespace(),
                controller.getName());
      } catch (IllegalArgumentException e) {
        tally.warn("controller reference " + controller.getName() + ": " + e.getMessage());
        continue;
      }
      try {
        Optional<ObjectNode> live = api.get(path);
        if (live.isEmpty()) {
          LOG.debug("Controller {} not found, not scaling it", PlannedObject.describe(path));
          continue;
        }
        JsonNode replicas = live.get().path("spec").get("replicas");
        api.mergePatch(path, replicasPatch(ArchiveJson.MAPPER.getNodeFactory().numberNode(0)));
        scaled.add(new Scaled(path, replicas));
        tally.observer().scaledDown(path, replicas);
        LOG.info("Scaled {} down from {} replicas", PlannedObject.describe(path), replicas);
      } catch (KubeApiException e) {
        tally.warn("could not scale down " + PlannedObject.describe(path) + ": " + e.getMessage());
      }
    }
    return scaled;
  }

  void scaleUp(List<Scaled> scaled, RestoreTally tally) {
    for (Scaled controller : scaled) {
      try {
        JsonNode replicas =
            controller.replicas() == null ? NullNode.getInstance() : controller.replicas();
        api.mergePatch(controller.path(), replicasPatch(replicas));
        LOG.info(
            "Scaled {} back to {} replicas", PlannedObject.describe(controller.path()), replicas);
      } catch (KubeApiException e) {
        tally.warn(
            "could not scale "
                + PlannedObject.describe(controller.path())
                + " back to "
                + controller.replicas()
                + " replicas: "
                + e.getMessage());
      }
    }
  }

  private static ObjectNode replicasPatch(JsonNode replicas) {
    ObjectNode patch = ArchiveJson.MAPPER.createObjectNode();
    patch.putObject("spec").set("replicas", replicas);
    return patch;
  }
}

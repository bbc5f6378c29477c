package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.KubeApiException;
import java.util.Set;

/**
 * Creates the Namespaces that archived objects live in but that are neither in the archive nor in
 * the cluster, and reports each one (docs/rancher-compat.md#diff-missing-namespaces), instead of
 * failing every object in them with "namespaces ... not found".
 */
final class MissingNamespaces {
  private final ObjectApi api;

  MissingNamespaces(ObjectApi api) {
    this.api = api;
  }

  void create(RestorePlan plan, RestoreTally tally) {
    Set<String> archived = plan.archivedNamespaces();
    for (String namespace : plan.usedNamespaces()) {
      if (archived.contains(namespace)) {
        continue;
      }
      ObjectPath path = new ObjectPath("", "v1", "namespaces", null, namespace);
      try {
        if (api.get(path).isPresent()) {
          continue;
        }
        ObjectNode body = ArchiveJson.MAPPER.createObjectNode();
        body.put("apiVersion", "v1").put("kind", "Namespace");
        body.putObject("metadata").put("name", namespace);
        api.create(path, body);
        tally.observer().namespaceCreated(namespace);
        tally.warn(
            "namespace "
                + namespace
                + " was created: objects of the archive live in it, but neither the archive nor"
                + " the cluster had it");
      } catch (KubeApiException e) {
        if (e.statusCode() == 0) {
          throw e;
        }
        if (e.statusCode() != 409) { // 409: created meanwhile, fine
          tally.warn(
              "namespace " + namespace + " is missing and could not be created: " + e.getMessage());
        }
      }
    }
  }
}

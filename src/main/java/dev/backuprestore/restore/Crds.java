package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.ObjectPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reading CustomResourceDefinition JSON (apiextensions v1 and v1beta1), nothing else. */
final class Crds {
  static final String GROUP = "apiextensions.k8s.io";
  static final String RESOURCE = "customresourcedefinitions";

  private Crds() {}

  static boolean isCrd(ObjectPath path) {
    return RESOURCE.equalsIgnoreCase(path.resource()) && GROUP.equals(path.group());
  }

  /**
   * The keys ({@link #statusKey}) of the versions whose custom resources have a status subresource.
   * v1: {@code spec.versions[].subresources.status}; v1beta1 also the top-level {@code
   * spec.subresources.status}, which covers {@code spec.version} and every listed version.
   */
  static Set<String> statusSubresourceKeys(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    Set<String> keys = new LinkedHashSet<>();
    if (group.isEmpty() || plural.isEmpty()) {
      return keys;
    }
    boolean topLevel = spec.path("subresources").path("status").isObject();
    List<String> versions = new ArrayList<>();
    if (spec.path("version").isTextual()) {
      versions.add(spec.path("version").asText());
    }
    for (JsonNode version : spec.path("versions")) {
      String name = version.path("name").asText("");
      if (!name.isEmpty() && version.path("subresources").path("status").isObject()) {
        keys.add(statusKey(group, plural, name));
      }
      versions.add(name);
    }
    if (topLevel) {
      versions.stream()
          .filter(v -> !v.isEmpty())
          .forEach(v -> keys.add(statusKey(group, plural, v)));
    }
    return keys;
  }

  static String statusKey(String group, String resource, String version) {
    return group + "/" + resource + "/" + version;
  }

  /** True when the live CRD's {@code Established} condition is {@code True}. */
  static boolean isEstablished(JsonNode liveCrd) {
    return "True".equals(condition(liveCrd, "Established").path("status").asText(""));
  }

  /** The message of a {@code NamesAccepted=False} condition (a name conflict), or null. */
  static String namesRejected(JsonNode liveCrd) {
    JsonNode names = condition(liveCrd, "NamesAccepted");
    if ("False".equals(names.path("status").asText(""))) {
      return names.path("message").asText(names.path("reason").asText("names not accepted"));
    }
    return null;
  }

  private static JsonNode condition(JsonNode crd, String type) {
    for (JsonNode condition : crd.path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText(""))) {
        return condition;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}

package dev.backuprestore.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * API discovery for one group/version, like client-go's {@code ServerResourcesForGroupVersion}: GET
 * {@code /api/v1} for {@code v1}, {@code /apis/<apiVersion>} for anything else.
 */
public class Discovery {
  private final KubeJsonApi api;

  public Discovery(KubeJsonApi api) {
    this.api = api;
  }

  /**
   * The resource types served for {@code apiVersion}, in the server's order, subresources included.
   * A group/version the server does not serve (404) gives an empty list.
   *
   * @throws KubeApiException "error gathering resource for &lt;apiVersion&gt;: ..." for any other
   *     failure, or for an empty or malformed apiVersion (permanent)
   */
  public List<ResourceType> resourcesFor(String apiVersion) {
    if (apiVersion == null || apiVersion.isEmpty()) {
      throw new KubeApiException(failurePrefix("") + "groupVersion shouldn't be empty", 400);
    }
    ObjectNode resourceList;
    try {
      resourceList = api.get(discoveryPath(apiVersion), Map.of());
    } catch (KubeApiException e) {
      if (e.isNotFound()) {
        return List.of();
      }
      throw new KubeApiException(failurePrefix(apiVersion) + e.getMessage(), e.statusCode(), e);
    }
    JsonNode resources = resourceList.path("resources");
    if (!resources.isArray() || resources.isEmpty()) {
      // e.g. "apps" without a version answers with an APIGroup, which lists no resources.
      return List.of();
    }
    GroupVersion groupVersion;
    try {
      groupVersion = GroupVersion.parse(apiVersion);
    } catch (IllegalArgumentException e) {
      throw new KubeApiException(failurePrefix(apiVersion) + e.getMessage(), 400, e);
    }
    List<ResourceType> types = new ArrayList<>(resources.size());
    for (JsonNode resource : resources) {
      types.add(toResourceType(groupVersion, resource));
    }
    return types;
  }

  private static ResourceType toResourceType(GroupVersion groupVersion, JsonNode resource) {
    List<String> verbs = new ArrayList<>();
    resource.path("verbs").forEach(verb -> verbs.add(verb.asText()));
    return new ResourceType(
        groupVersion.group(),
        groupVersion.version(),
        resource.path("name").asText(""),
        resource.path("kind").asText(""),
        resource.path("namespaced").asBoolean(false),
        verbs);
  }

  private static String discoveryPath(String apiVersion) {
    if (apiVersion.equals("v1")) {
      return "/api/v1";
    }
    StringBuilder path = new StringBuilder("/apis");
    for (String part : apiVersion.split("/", -1)) {
      path.append('/').append(UrlPaths.segment(part));
    }
    return path.toString();
  }

  private static String failurePrefix(String apiVersion) {
    return "error gathering resource for " + apiVersion + ": ";
  }
}

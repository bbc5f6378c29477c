package dev.backuprestore.restore;

import dev.backuprestore.kube.Discovery;
import dev.backuprestore.kube.GroupVersion;
import dev.backuprestore.kube.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps an owner reference's apiVersion and kind to its resource type (plural name and scope)
 * through discovery, cached for one run: owners outside the archive are looked up this way.
 */
final class ResourceTypes {
  private final Discovery discovery;
  private final Map<String, List<ResourceType>> byApiVersion = new ConcurrentHashMap<>();

  ResourceTypes(Discovery discovery) {
    this.discovery = discovery;
  }

  /**
   * The served, non-subresource type of this kind, or empty when the group/version is not served or
   * has no such kind (or the apiVersion is malformed, as in references written by Rancher before
   * 2.4.5).
   */
  Optional<ResourceType> forKind(String apiVersion, String kind) {
    try {
      GroupVersion.parse(apiVersion);
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
    List<ResourceType> types = byApiVersion.get(apiVersion);
    if (types == null) {
      // Not computeIfAbsent: a network call must not block other workers on the map.
      types = discovery.resourcesFor(apiVersion);
      byApiVersion.putIfAbsent(apiVersion, types);
    }
    return types.stream()
        .filter(type -> !type.isSubresource() && type.kind().equals(kind))
        .findFirst();
  }
}

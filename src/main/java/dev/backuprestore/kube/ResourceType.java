package dev.backuprestore.kube;

import java.util.List;
import java.util.Objects;

/**
 * One resource type served by the API server, as discovery reports it for a group/version: e.g.
 * group {@code ""}, version {@code v1}, plural {@code secrets}, kind {@code Secret}.
 *
 * @param group API group, empty for the core group
 * @param version API version
 * @param plural the resource name used in URLs; subresources contain a {@code /} (e.g. {@code
 *     pods/log})
 * @param kind the object kind
 * @param namespaced whether objects live in namespaces
 * @param verbs the verbs the resource supports (list, get, ...)
 */
public record ResourceType(
    String group,
    String version,
    String plural,
    String kind,
    boolean namespaced,
    List<String> verbs) {

  public ResourceType {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(plural, "plural");
    kind = kind == null ? "" : kind;
    verbs = verbs == null ? List.of() : List.copyOf(verbs);
  }

  /** {@code v1} for the core group, {@code group/version} otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** True for subresources such as {@code pods/log}, which are never collected. */
  public boolean isSubresource() {
    return plural.contains("/");
  }

  public boolean canList() {
    return verbs.contains("list");
  }

  public boolean canGet() {
    return verbs.contains("get");
  }

  /**
   * The URL path of the collection across all namespaces, e.g. {@code /api/v1/secrets} or {@code
   * /apis/apps/v1/deployments}.
   */
  public String clusterWidePath() {
    return groupVersionPath() + "/" + UrlPaths.segment(plural);
  }

  /** The URL path of one object; {@code namespace} is ignored for cluster-scoped resources. */
  public String objectPath(String namespace, String name) {
    StringBuilder path = new StringBuilder(groupVersionPath());
    if (namespaced) {
      path.append("/namespaces/").append(UrlPaths.segment(namespace));
    }
    return path.append('/')
        .append(UrlPaths.segment(plural))
        .append('/')
        .append(UrlPaths.segment(name))
        .toString();
  }

  private String groupVersionPath() {
    return group.isEmpty()
        ? "/api/" + UrlPaths.segment(version)
        : "/apis/" + UrlPaths.segment(group) + "/" + UrlPaths.segment(version);
  }

  @Override
  public String toString() {
    return plural + (group.isEmpty() ? "" : "." + group) + "/" + version;
  }
}

package dev.backuprestore.crypto;

import java.util.Objects;

/**
 * A Kubernetes group and resource, the key of encryption rules. The core group is the empty string;
 * {@code *} is a wildcard in rules only.
 */
public record GroupResource(String group, String resource) {
  public GroupResource {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(resource, "resource");
  }

  /**
   * Parses {@code resource.group} like Kubernetes' {@code schema.ParseGroupResource}: everything
   * after the first dot is the group, so {@code secrets} and {@code secrets.} are core-group
   * secrets, {@code *.} is every core-group resource and {@code *.*} is everything.
   */
  public static GroupResource parse(String value) {
    int dot = value.indexOf('.');
    return dot < 0
        ? new GroupResource("", value)
        : new GroupResource(value.substring(dot + 1), value.substring(0, dot));
  }

  /**
   * Kubernetes' spelling: {@code secrets} for the core group, {@code deployments.apps} otherwise.
   */
  @Override
  public String toString() {
    return group.isEmpty() ? resource : resource + "." + group;
  }
}

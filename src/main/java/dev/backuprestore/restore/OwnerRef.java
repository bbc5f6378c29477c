package dev.backuprestore.restore;

import dev.backuprestore.kube.GroupVersion;

/**
 * The identifying part of one archived {@code metadata.ownerReferences} entry: enough to find the
 * owner in the archive (by group, kind and name) or in the cluster. The UID is not kept: it is the
 * old cluster's and is rewritten when the object is applied.
 */
public record OwnerRef(String apiVersion, String kind, String name) {

  /** The owner's API group, {@code ""} for the core group. */
  public String group() {
    return GroupVersion.parse(apiVersion).group();
  }

  @Override
  public String toString() {
    return kind + " " + name + " (" + apiVersion + ")";
  }
}

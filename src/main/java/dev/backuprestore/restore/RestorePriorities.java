package dev.backuprestore.restore;

import dev.backuprestore.archive.ObjectPath;
import java.util.List;

/**
 * The order of resource types inside each phase, as commented data (like Velero's restore
 * priorities). Types not listed go to the {@link #OTHERS} slot. Owner references can still push an
 * object later than its type's slot (see {@link WavePlanner}), never earlier.
 */
public final class RestorePriorities {
  /** One entry: a group/resource, or the slot of everything not listed. */
  public record Priority(String group, String resource, String reason) {}

  static final Priority OTHERS = new Priority("*", "*", "every type not listed");

  /** Cluster-scoped objects, after the CRDs. */
  static final List<Priority> CLUSTER =
      List.of(
          p("", "namespaces", "every namespaced object lives in one"),
          p("storage.k8s.io", "storageclasses", "volumes and claims name them"),
          p("", "persistentvolumes", "claims bind to them"),
          p(
              "scheduling.k8s.io",
              "priorityclasses",
              "admission rejects pods naming unknown classes"),
          p("rbac.authorization.k8s.io", "clusterroles", "bindings and aggregation refer to them"),
          p("rbac.authorization.k8s.io", "clusterrolebindings", "after the roles they bind"),
          OTHERS,
          p(
              "admissionregistration.k8s.io",
              "mutatingwebhookconfigurations",
              "restored early, a webhook would intercept everything after it while its service is"
                  + " not back yet"),
          p(
              "admissionregistration.k8s.io",
              "validatingwebhookconfigurations",
              "same as mutating webhooks"),
          p(
              "apiregistration.k8s.io",
              "apiservices",
              "an aggregated API whose service is not back yet breaks discovery"));

  /** Namespaced objects, after every cluster-scoped one. */
  static final List<Priority> NAMESPACED =
      List.of(
          p("", "serviceaccounts", "pods, bindings and token Secrets refer to them"),
          p("", "secrets", "pods mount them and service accounts pull images with them"),
          p("", "configmaps", "pods mount them"),
          p("", "limitranges", "admission applies them only to pods created after them"),
          p("", "resourcequotas", "same: quotas count objects created after them"),
          p("", "persistentvolumeclaims", "pods mount them"),
          p("rbac.authorization.k8s.io", "roles", "bindings refer to them"),
          p("rbac.authorization.k8s.io", "rolebindings", "after the roles they bind"),
          p("", "services", "workloads and endpoints expect them"),
          p("", "endpoints", "after their services"),
          p("discovery.k8s.io", "endpointslices", "after their services"),
          OTHERS,
          p("apps", "deployments", "workloads last: what their pods use is restored by then"),
          p("apps", "statefulsets", "workloads last"),
          p("apps", "daemonsets", "workloads last"),
          p("apps", "replicasets", "after deployments, which usually own them"),
          p("batch", "cronjobs", "workloads last"),
          p("batch", "jobs", "after cronjobs, which usually own them"),
          p("", "pods", "after everything that owns or configures them"));

  private RestorePriorities() {}

  /** Rank of a cluster-scoped type: 0 .. {@link #clusterRanks()} - 1. */
  static int clusterRank(ObjectPath path) {
    return rank(CLUSTER, path);
  }

  /** Rank of a namespaced type: 0 .. {@link #namespacedRanks()} - 1. */
  static int namespacedRank(ObjectPath path) {
    return rank(NAMESPACED, path);
  }

  static int clusterRanks() {
    return CLUSTER.size();
  }

  static int namespacedRanks() {
    return NAMESPACED.size();
  }

  private static int rank(List<Priority> priorities, ObjectPath path) {
    int others = -1;
    for (int i = 0; i < priorities.size(); i++) {
      Priority priority = priorities.get(i);
      if (priority == OTHERS) {
        others = i;
      } else if (priority.group().equals(path.group())
          && priority.resource().equals(path.resource())) {
        return i;
      }
    }
    return others;
  }

  private static Priority p(String group, String resource, String reason) {
    return new Priority(group, resource, reason);
  }
}

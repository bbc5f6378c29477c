package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.ObjectPath;
import java.util.Collection;
import java.util.Set;

/**
 * Objects a restore must never delete or overwrite: the operator's own
 * (docs/rancher-compat.md#diff-prune-protection). Prune leaves them alone even when the backup's
 * selectors match them and the archive does not hold them, and apply skips their archived copies
 * (an old copy of the restore Lease or of a token Secret would break the running operator).
 */
@FunctionalInterface
public interface ProtectedObjects {

  /**
   * @param path the object's group, version, resource, namespace and name
   * @param object the object (live or archived), for checks on its type or annotations
   */
  boolean isProtected(ObjectPath path, JsonNode object);

  static ProtectedObjects none() {
    return (path, object) -> false;
  }

  /**
   * The operator's objects in its namespace: its ServiceAccount and that account's token Secrets,
   * the {@code restore-controller} Lease, and the named Secrets (encryption configuration, S3
   * credentials).
   */
  static ProtectedObjects operatorObjects(
      String namespace, String serviceAccount, Collection<String> secretNames) {
    Set<String> secrets = Set.copyOf(secretNames);
    return (path, object) -> {
      if (!namespace.equals(path.namespace())) {
        return false;
      }
      String name = path.name();
      if (path.group().isEmpty() && path.resource().equals("serviceaccounts")) {
        return name.equals(serviceAccount);
      }
      if (path.group().isEmpty() && path.resource().equals("secrets")) {
        return secrets.contains(name) || isTokenOf(object, serviceAccount);
      }
      return path.group().equals("coordination.k8s.io")
          && path.resource().equals("leases")
          && name.equals(RESTORE_LEASE);
    };
  }

  /** The Lease that makes restores run one at a time (Rancher's name). */
  String RESTORE_LEASE = "restore-controller";

  default ProtectedObjects or(ProtectedObjects other) {
    return (path, object) -> isProtected(path, object) || other.isProtected(path, object);
  }

  private static boolean isTokenOf(JsonNode secret, String serviceAccount) {
    return secret != null
        && "kubernetes.io/service-account-token".equals(secret.path("type").asText(""))
        && serviceAccount.equals(
            secret
                .path("metadata")
                .path("annotations")
                .path("kubernetes.io/service-account.name")
                .asText(""));
  }
}

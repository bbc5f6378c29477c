package dev.backuprestore.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.restore.ProtectedObjects;
import java.util.ArrayList;
import java.util.List;

/**
 * Prune never deletes the operator's own objects (docs/rancher-compat.md#diff-prune-protection): in
 * its namespace every ServiceAccount and service-account token, the restore Lease and the Secrets a
 * restore or the operator's defaults use; anywhere, the CRDs of our own API group. Shared by the
 * operator's restores and the CLI's {@code plan}, so that a plan protects what the restore
 * protects.
 */
public final class OperatorProtectedObjects {
  private OperatorProtectedObjects() {}

  public static ProtectedObjects of(
      StorageDefaults defaults, String encryptionConfigSecretName, StorageLocation location) {
    List<String> secrets = new ArrayList<>();
    addIfSet(secrets, encryptionConfigSecretName);
    addIfSet(secrets, defaults.defaultS3SecretName());
    if (location != null && location.getS3() != null) {
      S3ObjectStore s3 = location.getS3();
      if (defaults.chartNamespace().equals(s3.getCredentialSecretNamespace())) {
        addIfSet(secrets, s3.getCredentialSecretName());
      }
    }
    String namespace = defaults.chartNamespace();
    ProtectedObjects named = ProtectedObjects.operatorObjects(namespace, "", secrets);
    return named.or(
        (path, object) ->
            (namespace.equals(path.namespace()) && isServiceAccountOrToken(path, object))
                || isOurCrd(path));
  }

  private static boolean isServiceAccountOrToken(ObjectPath path, JsonNode object) {
    if (!path.group().isEmpty()) {
      return false;
    }
    return path.resource().equals("serviceaccounts")
        || (path.resource().equals("secrets")
            && object != null
            && "kubernetes.io/service-account-token".equals(object.path("type").asText("")));
  }

  private static boolean isOurCrd(ObjectPath path) {
    return path.group().equals("apiextensions.k8s.io")
        && path.resource().equals("customresourcedefinitions")
        && path.name().endsWith(".resources.cattle.io");
  }

  private static void addIfSet(List<String> names, String name) {
    if (name != null && !name.isBlank()) {
      names.add(name);
    }
  }
}

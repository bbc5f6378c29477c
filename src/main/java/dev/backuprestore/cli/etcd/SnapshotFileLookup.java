package dev.backuprestore.cli.etcd;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads an {@code EtcdSnapshotFile} (while the cluster still runs, e.g. for {@code prepare}): where
 * the zip is ({@code spec.location}, {@code file://...} or {@code s3://bucket/key}), the S3
 * endpoint and region it was stored with, and the sha256 recorded at save time ({@code
 * status.sha256}). Read as a generic resource: only these fields matter here.
 */
final class SnapshotFileLookup {
  static final String API_VERSION = "etcd.backuprestore.dev/v1alpha1";
  static final String KIND = "EtcdSnapshotFile";

  /** What the resource says. */
  record Found(String location, String sha256, String s3Endpoint, String s3Region) {}

  private SnapshotFileLookup() {}

  static Found lookup(String name, Path kubeconfig) {
    try (KubernetesClient client = connect(kubeconfig)) {
      GenericKubernetesResource file =
          client.genericKubernetesResources(API_VERSION, KIND).withName(name).get();
      if (file == null) {
        throw new IllegalArgumentException("EtcdSnapshotFile " + name + " does not exist");
      }
      Map<String, Object> spec = map(file.getAdditionalProperties().get("spec"));
      Map<String, Object> status = map(file.getAdditionalProperties().get("status"));
      Map<String, Object> s3 = map(spec.get("s3"));
      String location = text(spec.get("location"));
      if (location == null) {
        throw new IllegalArgumentException("EtcdSnapshotFile " + name + " has no spec.location");
      }
      return new Found(
          location, text(status.get("sha256")), text(s3.get("endpoint")), text(s3.get("region")));
    } catch (KubernetesClientException e) {
      throw new IllegalArgumentException(
          "cannot read EtcdSnapshotFile " + name + " (the apiserver must be up): " + e.getMessage(),
          e);
    }
  }

  private static KubernetesClient connect(Path kubeconfig) {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    try {
      return new KubernetesClientBuilder()
          .withConfig(
              Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString()))
          .build();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read --kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String text(Object value) {
    return value == null || value.toString().isBlank() ? null : value.toString();
  }
}

package dev.backuprestore.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** Workloads for tests of controllerReferences: nothing runs them (no controller manager). */
public final class Workloads {
  private Workloads() {}

  /**
   * A Deployment labelled and selected by {@code app=<name>}, with one container of {@code image}.
   */
  public static Deployment deployment(String namespace, String name, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(name)
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A Deployment whose image cannot be pulled: only its replica count matters. */
  public static Deployment deployment(String namespace, String name, int replicas) {
    return deployment(namespace, name, replicas, "registry.invalid/app:1");
  }
}

package dev.backuprestore.chart;

import dev.backuprestore.testing.Kubectl;

/** What the chart and example ITs need on the shared test apiserver: our CRDs and the namespace. */
final class ClusterFixtures {
  private ClusterFixtures() {}

  /** Applies the CRDs (YAML of crds/ or of the CRD chart) and waits until they serve. */
  static void installCrds(Kubectl kubectl, String crdsYaml) {
    kubectl.runWithInput(crdsYaml, "apply", "--validate=strict", "-f", "-");
    kubectl.run(
        "wait",
        "--for=condition=Established",
        "--timeout=60s",
        "crd/backups.resources.cattle.io",
        "crd/restores.resources.cattle.io",
        "crd/resourcesets.resources.cattle.io");
  }

  /**
   * The operator namespace. It is never deleted: without a controller manager a deleted namespace
   * stays Terminating, and other tests use it too.
   */
  static void ensureOperatorNamespace(Kubectl kubectl) {
    kubectl.runWithInput(
        """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %s
        """
            .formatted(Helm.NAMESPACE),
        "apply",
        "-f",
        "-");
  }
}

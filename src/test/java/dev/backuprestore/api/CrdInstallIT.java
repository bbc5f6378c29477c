package dev.backuprestore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated CRDs are accepted by a real apiserver and serve Rancher's printer columns, in
 * Rancher's order.
 */
class CrdInstallIT {

  @Test
  void kubectlAppliesTheCrdsAndShowsRancherPrinterColumns() {
    Kubectl kubectl = new Kubectl(LocalControlPlane.shared());
    assertThat(kubectl.run("apply", "-f", "crds/"))
        .contains("backups.resources.cattle.io")
        .contains("restores.resources.cattle.io")
        .contains("resourcesets.resources.cattle.io");
    kubectl.run(
        "wait",
        "--for=condition=Established",
        "--timeout=60s",
        "crd/backups.resources.cattle.io",
        "crd/restores.resources.cattle.io",
        "crd/resourcesets.resources.cattle.io");

    kubectl.runWithInput(
        """
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata:
          name: printer-columns
        spec:
          resourceSetName: some-set
        """,
        "apply",
        "-f",
        "-");
    assertThat(header(kubectl.run("get", "backups")))
        .containsExactly(
            "NAME", "LOCATION", "TYPE", "LATEST-BACKUP", "RESOURCESET", "AGE", "STATUS");
    kubectl.runWithInput(
        """
        apiVersion: resources.cattle.io/v1
        kind: Restore
        metadata:
          name: printer-columns
        spec:
          backupFilename: x.tar.gz
        """,
        "apply",
        "-f",
        "-");
    assertThat(header(kubectl.run("get", "restores")))
        .containsExactly("NAME", "BACKUP-SOURCE", "BACKUP-FILE", "AGE", "STATUS");
    kubectl.run("delete", "backup/printer-columns", "restore/printer-columns");
  }

  private static List<String> header(String table) {
    return List.of(table.lines().findFirst().orElse("").trim().split("\\s+"));
  }
}

package dev.backuprestore.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rancher Backups' two Helm releases, installed with real Helm from Rancher's rendered charts (see
 * src/test/resources/rancher/chart-rendered/NOTICE): each render becomes the only template of a
 * chart with Rancher's name and version, so that Helm itself creates the objects, writes its
 * ownership labels and annotations and its release record, exactly as an install of Rancher's chart
 * does. Hooks are left out: Rancher's only hook is a Job that needs a kubelet to finish (it sets
 * automountServiceAccountToken: false on the namespace's default ServiceAccount).
 */
final class RancherCharts {
  static final Path RENDERS = Path.of("src/test/resources/rancher/chart-rendered");
  static final String CRD_RELEASE = "rancher-backup-crd";
  static final String RELEASE = "rancher-backup";

  /** Rancher's claim for the first revision of the release, as the render shows. */
  static final String CLAIM = "rancher-backup-1";

  private RancherCharts() {}

  /** The values Rancher's chart renders were made with (NOTICE), one render each. */
  enum Storage {
    /** {@code rancher-backup-persistence.yaml}: archives on a volume. */
    PERSISTENCE("rancher-backup-persistence.yaml", "persistence.enabled=true"),
    /** {@code rancher-backup-s3.yaml}: archives in S3. */
    S3(
        "rancher-backup-s3.yaml",
        "s3.enabled=true,s3.bucketName=b,s3.endpoint=minio:9000,s3.credentialSecretName=creds,"
            + "s3.credentialSecretNamespace=default");

    final String render;
    final String values;

    Storage(String render, String values) {
      this.render = render;
      this.values = values;
    }
  }

  /** Installs rancher-backup-crd, then rancher-backup rendered with the given storage values. */
  static void install(Helm helm, Path workDir, Storage storage) {
    Path crdChart = chart(workDir, CRD_RELEASE, RENDERS.resolve("rancher-backup-crd.yaml"), null);
    helm.run("install", CRD_RELEASE, crdChart.toString(), "-n", Helm.NAMESPACE);
    Path chart =
        chart(
            workDir,
            RELEASE,
            RENDERS.resolve(storage.render),
            RENDERS.resolve("rancher-backup-values.yaml"));
    // The values the render was made with, recorded by Helm as the user's (helm get values).
    helm.run("install", RELEASE, chart.toString(), "-n", Helm.NAMESPACE, "--set", storage.values);
  }

  private static Path chart(Path workDir, String name, Path render, Path values) {
    try {
      Path chart = Files.createDirectories(workDir.resolve(name));
      Files.writeString(
          chart.resolve("Chart.yaml"),
          "apiVersion: v2\nname: " + name + "\nversion: \"999\"\nappVersion: \"999\"\n");
      if (values != null) {
        Files.copy(values, chart.resolve("values.yaml"));
      }
      Files.createDirectories(chart.resolve("templates"));
      Files.writeString(
          chart.resolve("templates/rendered.yaml"), withoutHooks(Files.readString(render)));
      return chart;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String withoutHooks(String render) {
    List<String> documents =
        Arrays.stream(render.split("(?m)^---$"))
            .filter(document -> !document.contains("\"helm.sh/hook\""))
            .toList();
    return documents.stream().collect(Collectors.joining("---"));
  }
}

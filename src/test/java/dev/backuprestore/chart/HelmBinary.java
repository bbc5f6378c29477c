package dev.backuprestore.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the Go-built helm is: {@code $BRO_HELM_BIN} (scripts/test.sh sets it from the output of
 * scripts/helm.sh), else the {@code bro.helmBin} system property, else the script's default cache
 * path for the version pinned in test-env/helm/go.mod.
 */
final class HelmBinary {
  private HelmBinary() {}

  static Path locate() {
    String configured = System.getenv("BRO_HELM_BIN");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("bro.helmBin");
    }
    Path helm = configured == null || configured.isBlank() ? defaultPath() : Path.of(configured);
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException(
          helm + " is missing: run scripts/helm.sh (or scripts/test.sh) first");
    }
    return helm;
  }

  private static Path defaultPath() {
    Path goMod = Path.of("test-env/helm/go.mod");
    try {
      String version =
          Files.readAllLines(goMod).stream()
              .map(String::trim)
              .filter(line -> line.startsWith("require helm.sh/helm/v3 "))
              .map(line -> line.substring(line.lastIndexOf(' ') + 1))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no helm.sh/helm/v3 in " + goMod));
      String envDir = System.getenv("BRO_TEST_ENV_DIR");
      String cacheHome = System.getenv("XDG_CACHE_HOME");
      Path cache =
          cacheHome == null || cacheHome.isBlank()
              ? Path.of(System.getProperty("user.home"), ".cache")
              : Path.of(cacheHome);
      Path base =
          envDir == null || envDir.isBlank()
              ? cache.resolve("backup-restore-operator/test-env")
              : Path.of(envDir);
      return base.resolve("helm").resolve(version + "-" + platform()).resolve("helm");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Go's GOOS-GOARCH for this machine, as scripts/helm.sh names the cache directory. */
  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase().startsWith("mac") ? "darwin" : "linux";
    String arch = System.getProperty("os.arch");
    String goArch =
        switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
    return os + "-" + goArch;
  }
}

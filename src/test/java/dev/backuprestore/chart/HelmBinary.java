package dev.backuprestore.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the Go-built helm is: {@code $BRO_HELM_BIN} (scripts/test.sh sets it from the output of
 * scripts/helm.sh), else the {@code bro.helmBin} system property, else the script's default cache
 * path for the version pinned in test-env/helm/go.mod. When none is set and the cache is empty, the
 * script is run once (it builds helm with Go in a minute or two), so that the tests also pass from
 * a plain {@code ./mvnw verify}.
 */
final class HelmBinary {
  private static Path located;

  private HelmBinary() {}

  static synchronized Path locate() {
    if (located == null) {
      located = find();
    }
    return located;
  }

  private static Path find() {
    String configured = System.getenv("BRO_HELM_BIN");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("bro.helmBin");
    }
    if (configured != null && !configured.isBlank()) {
      return executable(Path.of(configured));
    }
    Path cached = defaultPath();
    return Files.isExecutable(cached) ? cached : executable(build());
  }

  private static Path executable(Path helm) {
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException(
          helm + " is missing: run scripts/helm.sh (or scripts/test.sh) first");
    }
    return helm;
  }

  /** Runs scripts/helm.sh, which prints the binary's path on its last line. */
  private static Path build() {
    try {
      Process process =
          new ProcessBuilder("scripts/helm.sh")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      process.getOutputStream().close();
      List<String> lines =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .toList();
      if (process.waitFor() != 0 || lines.isEmpty()) {
        throw new IllegalStateException("scripts/helm.sh failed; see its output above");
      }
      return Path.of(lines.get(lines.size() - 1).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run scripts/helm.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building helm", e);
    }
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

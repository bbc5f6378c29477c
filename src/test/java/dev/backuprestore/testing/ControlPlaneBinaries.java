package dev.backuprestore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the Go-built binaries are: {@code $BRO_CONTROL_PLANE_BIN} (set by scripts/test.sh from the
 * output of scripts/control-plane.sh), else the script's default cache directory for the version
 * pinned in test-env/kube/go.mod.
 */
public record ControlPlaneBinaries(Path dir) {

  public static ControlPlaneBinaries locate() {
    String configured = System.getenv("BRO_CONTROL_PLANE_BIN");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("bro.controlPlaneBin");
    }
    Path dir = configured == null || configured.isBlank() ? defaultDir() : Path.of(configured);
    ControlPlaneBinaries binaries = new ControlPlaneBinaries(dir);
    for (Path binary : List.of(binaries.etcd(), binaries.kubeApiServer(), binaries.kubectl())) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            binary + " is missing: run scripts/control-plane.sh (or scripts/test.sh) first");
      }
    }
    return binaries;
  }

  private static Path defaultDir() {
    try {
      Path goMod = Path.of("test-env/kube/go.mod");
      String version =
          Files.readAllLines(goMod).stream()
              .map(String::trim)
              .filter(line -> line.startsWith("require k8s.io/kubernetes "))
              .map(line -> line.substring(line.lastIndexOf(' ') + 2))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no k8s.io/kubernetes in " + goMod));
      String cacheHome = System.getenv("XDG_CACHE_HOME");
      Path cache =
          cacheHome == null || cacheHome.isBlank()
              ? Path.of(System.getProperty("user.home"), ".cache")
              : Path.of(cacheHome);
      String envDir = System.getenv("BRO_TEST_ENV_DIR");
      Path base =
          envDir == null || envDir.isBlank()
              ? cache.resolve("backup-restore-operator/test-env")
              : Path.of(envDir);
      return base.resolve("k8s").resolve(version + "-linux-amd64");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path etcd() {
    return dir.resolve("etcd");
  }

  /** etcdutl, built next to etcd by scripts/control-plane.sh (test-env/etcdutl). */
  public Path etcdutl() {
    return dir.resolve("etcdutl");
  }

  /** etcdctl, built next to etcd by scripts/control-plane.sh (test-env/etcdutl). */
  public Path etcdctl() {
    return dir.resolve("etcdctl");
  }

  Path kubeApiServer() {
    return dir.resolve("kube-apiserver");
  }

  Path kubectl() {
    return dir.resolve("kubectl");
  }

  public String etcdVersion() {
    try {
      Path marker = dir.resolve(".etcd-version");
      return Files.exists(marker) ? Files.readString(marker).trim() : "(unknown version)";
    } catch (IOException e) {
      return "(unknown version)";
    }
  }
}

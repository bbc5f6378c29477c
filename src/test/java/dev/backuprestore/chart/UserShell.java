package dev.backuprestore.chart;

import dev.backuprestore.testing.LocalControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs shell commands as a user of the README would: bash with {@code -euo pipefail} (and {@code
 * -x}, so a failure shows which command failed), kubectl and helm on the PATH, a cluster admin's
 * kubeconfig, helm's settings in a directory of their own, and a working directory with the
 * repository's charts at {@code charts/}, as in a checkout.
 */
final class UserShell {
  private UserShell() {}

  record Result(int exitCode, String output) {}

  static Result run(LocalControlPlane plane, Helm helm, Path dir, String commands)
      throws IOException {
    Path run = Files.createDirectories(dir);
    Files.createSymbolicLink(run.resolve("charts"), Path.of("charts").toAbsolutePath());
    Path script = run.resolve("commands.sh");
    Files.writeString(script, commands);
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-euxo", "pipefail", script.toString())
            .directory(run.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put(
        "PATH",
        helm.binary().getParent()
            + ":"
            + plane.kubectl().getParent()
            + ":"
            + System.getenv("PATH"));
    env.put("KUBECONFIG", plane.kubeconfig().toString());
    for (String home : List.of("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")) {
      env.put(home, run.resolve(".helm").resolve(home).toString());
    }
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the commands timed out:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new Result(process.exitValue(), output);
  }
}

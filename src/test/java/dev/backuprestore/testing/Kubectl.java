package dev.backuprestore.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Go-built kubectl against a {@link LocalControlPlane}, as a user would. */
public final class Kubectl {
  private final LocalControlPlane plane;

  public Kubectl(LocalControlPlane plane) {
    this.plane = plane;
  }

  /** Runs kubectl and returns its combined output; a non-zero exit fails with that output. */
  public String run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl with {@code stdin} on its standard input (for {@code apply -f -}). */
  public String runWithInput(String stdin, String... args) {
    Result result = tryRun(stdin, args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "kubectl " + String.join(" ", args) + " failed:\n" + result.output());
    }
    return result.output();
  }

  /** Runs kubectl and returns exit code and output, whatever the exit code. */
  public Result tryRun(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(plane.kubectl().toString());
    command.add("--kubeconfig=" + plane.kubeconfig());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Exit code and combined output of one kubectl run. */
  public record Result(int exitCode, String output) {}
}

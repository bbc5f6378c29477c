package dev.backuprestore.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command on the host (the node's scripts, kubectl, helm, iptables) and returns its combined
 * output. With {@code echo}, each line also goes to the test log as it comes, prefixed, so a long
 * set-up shows its progress in the build log.
 */
final class HostCommand {
  private HostCommand() {}

  /** Exit code and combined output of one run. */
  record Result(List<String> command, int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    /** The output; fails the test with the command and its output when the exit code is not 0. */
    String orFail() {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
      }
      return output;
    }
  }

  static Result run(
      List<String> command, Map<String, String> env, String stdin, Duration timeout, String echo) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      CompletableFuture<String> output =
          CompletableFuture.supplyAsync(() -> collect(process, echo));
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + ":\n"
                + output.getNow(""));
      }
      return new Result(command, process.exitValue(), output.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private static String collect(Process process, String echo) {
    StringBuilder all = new StringBuilder();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        all.append(line).append('\n');
        if (echo != null) {
          System.out.println(echo + line);
        }
      }
    } catch (IOException e) {
      all.append("(reading the output failed: ").append(e.getMessage()).append(")\n");
    }
    return all.toString();
  }

  static List<String> args(String first, String... rest) {
    List<String> args = new ArrayList<>();
    args.add(first);
    args.addAll(List.of(rest));
    return args;
  }
}

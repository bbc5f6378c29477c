package dev.backuprestore.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class run in a JVM of its own with the test's class path, for the memory proofs: a
 * hard {@code -Xmx} there is a limit the code under test cannot exceed, whatever the test JVM has.
 */
public final class ChildJvm {
  /** What the child printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  private ChildJvm() {}

  /**
   * Runs {@code main} with {@code jvmOptions} (e.g. {@code -Xmx64m}) and {@code args}; the output
   * goes to a file, so a chatty child never blocks on a full pipe.
   *
   * @throws AssertionError when the child has not exited within {@code timeout} (it is killed)
   */
  public static Result run(List<String> jvmOptions, Class<?> main, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("child-jvm-", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!finished) {
        throw new AssertionError(
            main.getName() + " did not exit within " + timeout + ":\n" + output);
      }
      return new Result(process.exitValue(), output);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}

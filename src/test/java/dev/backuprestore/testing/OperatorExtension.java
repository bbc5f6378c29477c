package dev.backuprestore.testing;

import static org.awaitility.Awaitility.await;

import dev.backuprestore.operator.Main;
import dev.backuprestore.operator.OperatorRuntime;
import dev.backuprestore.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator's lifecycle in an integration test, as one JUnit extension: register it as a static
 * field with {@code @RegisterExtension}; it starts the operator (in this JVM, or as a separate
 * {@code java} process running {@link Main}) against the shared {@link LocalControlPlane} before
 * the class's tests and stops it after them. A test can stop, restart, and (as a process) SIGTERM
 * or SIGKILL it. In dev mode, archives go by default to {@link #localDirectory()}.
 *
 * <p>Every test class starts its own operator and stops it at the end, so no two operators (from
 * two classes) ever watch the same apiserver, and no test depends on another's order.
 */
public final class OperatorExtension implements BeforeAllCallback, AfterAllCallback {
  private static final Pattern HEALTH_PORT = Pattern.compile("health probes served on :(\\d+)");
  private static final Pattern METRICS_PORT = Pattern.compile("metrics served on :(\\d+)/metrics");

  private final String namespace;
  private final boolean asProcess;
  private boolean metrics;
  private Duration metricsRefresh = Duration.ofSeconds(60);
  private final Map<String, String> environment = new LinkedHashMap<>();
  private BiFunction<OperatorConfig, KubernetesClient, OperatorRuntime> starter;

  private LocalControlPlane plane;
  private Path workDirectory;
  private Path localDirectory;
  private OperatorHarness inProcess;
  private Process process;
  private Path log;
  private int starts;

  private OperatorExtension(String namespace, boolean asProcess) {
    this.namespace = namespace;
    this.asProcess = asProcess;
  }

  /** The operator runs in this JVM ({@link OperatorRuntime}). */
  public static OperatorExtension inProcess(String namespace) {
    return new OperatorExtension(namespace, false);
  }

  /** The operator runs as a separate process, started with {@code java ... Main}. */
  public static OperatorExtension asProcess(String namespace) {
    return new OperatorExtension(namespace, true);
  }

  /** Serves metrics (on a free port in-process, refreshed every {@code refresh}). */
  public OperatorExtension withMetrics(Duration refresh) {
    this.metrics = true;
    this.metricsRefresh = refresh;
    return this;
  }

  /** Leader election on (process mode), each process with its own identity. */
  public OperatorExtension withLeaderElection() {
    environment.put("LEADER_ELECTION", "true");
    return this;
  }

  /** An extra environment variable of the operator process (process mode only). */
  public OperatorExtension withEnvironment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Starts the in-process operator with {@code starter} instead of {@link OperatorRuntime}. */
  public OperatorExtension withStarter(
      BiFunction<OperatorConfig, KubernetesClient, OperatorRuntime> starter) {
    this.starter = starter;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    plane = LocalControlPlane.shared();
    workDirectory = Files.createTempDirectory("operator-" + namespace + "-");
    localDirectory = workDirectory.resolve("backups");
    Files.createDirectories(localDirectory);
    OperatorHarness.installCrds(plane.client());
    OperatorHarness.ensureNamespace(plane.client(), namespace);
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
    TestFiles.deleteRecursively(workDirectory);
  }

  /** Starts the operator and returns once it has started its controllers. */
  public void start() {
    if (isRunning()) {
      throw new IllegalStateException("the operator is already running");
    }
    starts++;
    if (!asProcess) {
      OperatorConfig config = OperatorHarness.devConfig(namespace, localDirectory, metrics);
      inProcess =
          OperatorHarness.start(
              config,
              starter != null
                  ? starter
                  : (settings, client) ->
                      OperatorRuntime.start(settings, client, 0, metricsRefresh));
      return;
    }
    try {
      log = workDirectory.resolve("operator-" + starts + ".log");
      process = processBuilder().redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "the operator exited with " + process.exitValue() + ":\n" + log());
              }
              return log().contains("operator started");
            });
  }

  private ProcessBuilder processBuilder() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("--kubeconfig");
    command.add(plane.kubeconfig().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
    builder.environment().put("CHART_NAMESPACE", namespace);
    builder.environment().put("CATTLE_DEV_MODE", "true");
    builder.environment().put("HEALTH_PROBE_PORT", "0");
    if (metrics) {
      builder.environment().put("METRICS_SERVER", "true");
      builder.environment().put("METRICS_PORT", "0");
    }
    builder.environment().putAll(environment);
    builder.environment().put("POD_NAME", identity());
    // Dev mode's default location is ./backups: the working directory holds it.
    builder.directory(workDirectory.toFile());
    return builder;
  }

  /** This extension's name in the leader Lease, unique per extension and start. */
  public String identity() {
    return namespace + "-" + Integer.toHexString(System.identityHashCode(this)) + "-" + starts;
  }

  /** True when the current process's log says it became the leader. */
  public boolean isLeader() {
    return process != null && process.isAlive() && log().contains("became the leader");
  }

  /** Stops the operator gracefully (SIGTERM for a process) and waits until it has exited. */
  public void stop() {
    if (inProcess != null) {
      inProcess.close();
      inProcess = null;
    }
    if (process != null) {
      terminate(Duration.ofSeconds(60));
    }
  }

  /** Sends SIGTERM and waits up to {@code grace} for the exit; returns the exit code. */
  public int terminate(Duration grace) {
    requireProcess();
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the operator did not exit within " + grace + " of SIGTERM");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      process = null;
    }
  }

  /** SIGKILL: the process dies at once, without shutdown hooks (a crash, an OOM kill). */
  public void kill() {
    requireProcess();
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      process = null;
    }
  }

  /** Stops (gracefully) and starts again. */
  public void restart() {
    stop();
    start();
  }

  public boolean isRunning() {
    return inProcess != null || (process != null && process.isAlive());
  }

  private void requireProcess() {
    if (process == null) {
      throw new IllegalStateException("no operator process is running");
    }
  }

  /** Waits until the current operator's log contains {@code text} (process mode). */
  public void awaitLog(String text, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> log().contains(text));
  }

  /** The log of the current (or last) operator process; empty in-process. */
  public String log() {
    try {
      return log == null ? "" : Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The logs of every operator process started by this extension, in order. */
  public String allLogs() {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= starts; i++) {
      Path file = workDirectory.resolve("operator-" + i + ".log");
      if (Files.exists(file)) {
        try {
          text.append(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return text.toString();
  }

  public KubernetesClient client() {
    return plane.client();
  }

  public LocalControlPlane plane() {
    return plane;
  }

  public String namespace() {
    return namespace;
  }

  /** Where dev mode writes archives when a Backup names no storage location. */
  public Path localDirectory() {
    return localDirectory;
  }

  /** The metrics port of the running operator. */
  public int metricsPort() {
    if (inProcess != null) {
      return inProcess.metricsPort();
    }
    return portFromLog(METRICS_PORT);
  }

  /** The health probe port of the running operator. */
  public int healthPort() {
    if (inProcess != null) {
      return inProcess.healthPort();
    }
    return portFromLog(HEALTH_PORT);
  }

  private int portFromLog(Pattern pattern) {
    Matcher matcher = pattern.matcher(log());
    if (!matcher.find()) {
      throw new IllegalStateException("the operator log names no port for " + pattern);
    }
    return Integer.parseInt(matcher.group(1));
  }
}

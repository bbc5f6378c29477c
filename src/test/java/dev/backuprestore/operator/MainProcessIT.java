package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator as a process: its command line, its one-line configuration errors, SIGTERM. */
class MainProcessIT {

  @Test
  void printsItsVersion() throws Exception {
    Run run = run(Map.of(), "--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.output().strip()).matches("backup-restore-operator version \\S+");
  }

  @Test
  void badConfigurationIsOneLineAndExitCodeTwo() throws Exception {
    Run missingNamespace = run(Map.of());
    assertThat(missingNamespace.exitCode()).isEqualTo(2);
    assertThat(missingNamespace.output().strip())
        .startsWith("backup-restore-operator: CHART_NAMESPACE is not set")
        .doesNotContain("\n");

    Run both =
        run(
            Map.of(
                "CHART_NAMESPACE", "x",
                "DEFAULT_PERSISTENCE_ENABLED", "true",
                "DEFAULT_S3_BACKUP_STORAGE_LOCATION", "rancher-backup-s3"));
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.output()).contains("cannot configure PVC and S3 both");

    Run unknownFlag = run(Map.of("CHART_NAMESPACE", "x"), "--frobnicate");
    assertThat(unknownFlag.exitCode()).isEqualTo(2);
    assertThat(unknownFlag.output()).contains("unknown argument --frobnicate");
  }

  @Test
  void anUnreachableClusterIsAClearStartupFailure() throws Exception {
    Path kubeconfig = Files.createTempFile("unreachable", ".kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        current-context: c
        """);
    Run run = run(Map.of("CHART_NAMESPACE", "x"), "--kubeconfig", kubeconfig.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("backup-restore-operator: cannot start:");
  }

  @Test
  void stopsCleanlyOnSigterm() throws Exception {
    LocalControlPlane plane = LocalControlPlane.shared();
    OperatorHarness.installCrds(plane.client());
    Path log = Files.createTempFile("operator", ".log");
    Process process =
        start(
            Map.of("CHART_NAMESPACE", "sigterm-system", "CATTLE_DEV_MODE", "true"),
            log,
            "--kubeconfig",
            plane.kubeconfig().toString());
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(log).contains("operator started"));
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = Files.readString(log);
      assertThat(output).contains("stopping");
      // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(output).doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
    }
  }

  private record Run(int exitCode, String output) {}

  private static Run run(Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile("operator", ".log");
    Process process = start(env, log, args);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static Process start(Map<String, String> env, Path log, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
    builder.environment().putAll(env);
    builder.directory(Files.createTempDirectory("operator-cwd").toFile());
    return builder.start();
  }
}

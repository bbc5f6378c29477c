package dev.backuprestore.chart;

import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the Go-built helm on the repository's charts, as a user or the release workflow would. */
final class Helm {
  static final Path OPERATOR_CHART = Path.of("charts/backup-restore-operator");
  static final Path CRD_CHART = Path.of("charts/backup-restore-operator-crd");
  static final String NAMESPACE = "cattle-resources-system";

  private final Path binary;

  /** The cluster helm talks to, or null for commands that need none (lint, template). */
  private final Path kubeconfig;

  Helm(Path binary) {
    this(binary, null);
  }

  private Helm(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  static Helm located() {
    return new Helm(HelmBinary.locate());
  }

  /** The same helm against a real apiserver, with the plane's admin kubeconfig. */
  Helm against(LocalControlPlane plane) {
    return new Helm(binary, plane.kubeconfig());
  }

  Path binary() {
    return binary;
  }

  /** Runs helm with these arguments (install, upgrade, uninstall, ...); fails when helm fails. */
  String run(String... args) {
    Result result = tryRun(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("helm " + String.join(" ", args) + " failed:\n" + result.output());
    }
    return result.output();
  }

  /** Runs helm with these arguments whatever the outcome. */
  Result tryRun(String... args) {
    return run(List.of(args));
  }

  /** {@code helm lint --strict} with the given values (YAML text, empty for the defaults). */
  Result lint(Path chart, String values) {
    return run(withValues(List.of("lint", "--strict", chart.toString()), values));
  }

  /** {@code helm template} into the operator namespace; fails the test when helm fails. */
  String template(Path chart, String values, String... extraArgs) {
    Result result = tryTemplate(chart, values, extraArgs);
    if (result.exitCode() != 0) {
      throw new AssertionError("helm template " + chart + " failed:\n" + result.output());
    }
    return result.stdout();
  }

  /** {@code helm template} whatever the outcome, for tests of refused value combinations. */
  Result tryTemplate(Path chart, String values, String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of("template", "backup-restore-operator", chart.toString(), "-n", NAMESPACE));
    args.addAll(List.of(extraArgs));
    return run(withValues(args, values));
  }

  /** Values go through a file, as users pass them, so that maps and lists keep their YAML types. */
  private static List<String> withValues(List<String> args, String values) {
    List<String> withValues = new ArrayList<>(args);
    if (!values.isBlank()) {
      try {
        Path file = Files.createTempFile("bro-chart-values-", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, values);
        withValues.add("--values=" + file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return withValues;
  }

  private Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    Path home = null;
    try {
      home = Files.createTempDirectory("bro-helm-home-");
      ProcessBuilder builder = new ProcessBuilder(command);
      // Keep helm's caches and settings out of the user's home.
      builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      if (kubeconfig != null) {
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
      }
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      String stdout = readAll(process.getInputStream());
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("helm " + String.join(" ", args) + " timed out");
      }
      return new Result(process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      TestFiles.deleteRecursively(home);
    }
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exit code and outputs of one helm run. */
  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }
}

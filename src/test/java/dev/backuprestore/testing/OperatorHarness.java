package dev.backuprestore.testing;

import dev.backuprestore.operator.OperatorRuntime;
import dev.backuprestore.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Runs the operator in-process against the shared {@link LocalControlPlane}: installs the generated
 * CRDs from {@code crds/}, creates the operator namespace, starts {@link OperatorRuntime} with a
 * given configuration. Close it after the test class so that no two operators watch the same
 * apiserver.
 */
public final class OperatorHarness implements AutoCloseable {
  private final LocalControlPlane plane;
  private final OperatorRuntime runtime;
  private final OperatorConfig config;

  private OperatorHarness(LocalControlPlane plane, OperatorRuntime runtime, OperatorConfig config) {
    this.plane = plane;
    this.runtime = runtime;
    this.config = config;
  }

  /** Dev mode (plain HTTP S3), archives by default in {@code localDirectory}. */
  public static OperatorConfig devConfig(String namespace, Path localDirectory, boolean metrics) {
    return new OperatorConfig(
        namespace,
        false,
        "",
        metrics,
        OperatorConfig.DEFAULT_DURATION_BUCKETS,
        true,
        null,
        "info",
        false,
        localDirectory);
  }

  public static OperatorHarness start(OperatorConfig config) {
    return start(config, (settings, client) -> OperatorRuntime.start(settings, client, 0));
  }

  /**
   * As {@link #start(OperatorConfig)}, with the operator started by {@code starter} (given the
   * configuration and the operator's own client), for tests that need a package-private variant.
   */
  public static OperatorHarness start(
      OperatorConfig config,
      BiFunction<OperatorConfig, KubernetesClient, OperatorRuntime> starter) {
    LocalControlPlane plane = LocalControlPlane.shared();
    installCrds(plane.client());
    plane
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(config.chartNamespace())
                .endMetadata()
                .build())
        .serverSideApply();
    KubernetesClient operatorClient =
        new KubernetesClientBuilder().withConfig(plane.adminConfig()).build();
    OperatorRuntime runtime = starter.apply(config, operatorClient);
    return new OperatorHarness(plane, runtime, config);
  }

  /** Applies every generated CRD and waits until each is Established. */
  public static void installCrds(KubernetesClient client) {
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of("crds"))) {
      files =
          list.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(crd)
            .forceConflicts()
            .serverSideApply();
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> isEstablished(client, crd.getMetadata().getName()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static boolean isEstablished(KubernetesClient client, String name) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public KubernetesClient client() {
    return plane.client();
  }

  public LocalControlPlane plane() {
    return plane;
  }

  public OperatorConfig config() {
    return config;
  }

  public int metricsPort() {
    return runtime.metricsPort();
  }

  @Override
  public void close() {
    runtime.close();
  }
}

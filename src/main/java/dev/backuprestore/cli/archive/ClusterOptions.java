package dev.backuprestore.cli.archive;

import dev.backuprestore.cli.CliException;
import dev.backuprestore.config.StorageDefaults;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach the cluster and where the operator keeps its Secrets. Connects on first use. */
public final class ClusterOptions implements AutoCloseable {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context")
  String context;

  @Option(
      names = "--operator-namespace",
      paramLabel = "NAMESPACE",
      defaultValue = "cattle-resources-system",
      description =
          "namespace of the operator: its encryption and S3 Secrets (default: ${DEFAULT-VALUE})")
  String operatorNamespace;

  @Option(
      names = "--default-s3-secret",
      paramLabel = "NAME",
      description =
          "the operator's default S3 location Secret (chart s3.enabled), for Backups without a"
              + " storageLocation")
  String defaultS3Secret;

  private KubernetesClient client;

  /** The client, connecting the first time. */
  public KubernetesClient client() {
    if (client == null) {
      try {
        Config config =
            kubeconfig == null
                ? Config.autoConfigure(context)
                : Config.fromKubeconfig(
                    context, Files.readString(kubeconfig), kubeconfig.toString());
        client = new KubernetesClientBuilder().withConfig(config).build();
      } catch (IOException e) {
        throw new CliException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
      }
    }
    return client;
  }

  public StorageDefaults storageDefaults(Optional<Path> localDirectory, boolean useHttps) {
    return new StorageDefaults(
        operatorNamespace,
        defaultS3Secret == null ? "" : defaultS3Secret,
        localDirectory,
        useHttps);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}

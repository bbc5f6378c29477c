package dev.backuprestore.operator;

import dev.backuprestore.cli.BroCli;
import dev.backuprestore.cli.etcd.EtcdRestoreCommand;
import dev.backuprestore.operator.config.ConfigurationException;
import dev.backuprestore.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point: reads the configuration (docs/rancher-compat.md#settings), connects to the cluster,
 * runs the reconcilers until SIGTERM. Exit codes: 0 after a clean shutdown or --version, 2 for bad
 * configuration, 1 when the operator cannot start. {@code bro ...} runs the archive toolkit instead
 * ({@link BroCli}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("bro")) {
      // The archive toolkit (bin/kubectl-bro) ships in the same jar and image.
      System.exit(BroCli.execute(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("etcd-restore")) {
      // The etcd restore runs on a node, not as the operator (docs/etcd-restore.md).
      EtcdRestoreCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("etcd-agent")) {
      System.exit(
          dev.backuprestore.etcd.agent.EtcdAgent.main(
              System.getenv(), Arrays.copyOfRange(args, 1, args.length), Version.current()));
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.from(System.getenv(), args);
    } catch (ConfigurationException e) {
      System.err.println("backup-restore-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (config.printVersion()) {
      System.out.println("backup-restore-operator version " + Version.current());
      return;
    }
    configureLogging(config.logLevel());

    OperatorRuntime runtime;
    try {
      runtime = OperatorRuntime.start(config, connect(config));
    } catch (RuntimeException | IOException e) {
      System.err.println("backup-restore-operator: cannot start: " + Failures.message(e));
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  stopped.countDown();
                },
                "operator-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static KubernetesClient connect(OperatorConfig config) throws IOException {
    Config clientConfig =
        config.kubeconfig() == null
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(
                null, Files.readString(config.kubeconfig()), config.kubeconfig().toString());
    // Rancher disables client-side rate limiting; a backup lists thousands of pages.
    clientConfig.setRequestRetryBackoffLimit(3);
    clientConfig.setMaxConcurrentRequests(64);
    clientConfig.setMaxConcurrentRequestsPerHost(32);
    return new KubernetesClientBuilder().withConfig(clientConfig).build();
  }

  /** slf4j-simple reads these once, so they are set before the first logger is created. */
  static void configureLogging(String level) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy/MM/dd HH:mm:ss");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
    // The SDK and the client are chatty at debug; keep them at info unless tracing.
    String libraries = level.equals("trace") ? "debug" : "info";
    System.setProperty("org.slf4j.simpleLogger.log.io.javaoperatorsdk", libraries);
    System.setProperty("org.slf4j.simpleLogger.log.io.fabric8", libraries);
    System.setProperty("org.slf4j.simpleLogger.log.software.amazon", libraries);
  }
}

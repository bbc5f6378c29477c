package dev.backuprestore.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.backup.BackupRunner;
import dev.backuprestore.backup.Retention;
import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.restore.RestoreRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** Builds the engines the reconcilers call, with constructor injection all the way down. */
final class Wiring {
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final String clusterId;
  private final Clock clock;

  Wiring(KubernetesClient client, OperatorConfig config, String clusterId, Clock clock) {
    this.client = client;
    this.config = config;
    this.clusterId = clusterId;
    this.clock = clock;
  }

  BackupExecutor backupExecutor() {
    return new BackupService(
        clusterId,
        new StorageResolver(client, config),
        new EncryptionConfigLoader(client, config.chartNamespace()),
        new BackupRunner(new ResourceCollector(client), new ObjectMapper()),
        new Retention());
  }

  RestoreExecutor restoreExecutor() {
    return new RestoreService(
        config,
        new StorageResolver(client, config),
        new EncryptionConfigLoader(client, config.chartNamespace()),
        new RestoreRunner(client));
  }
}

package dev.backuprestore.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.backup.BackupRunner;
import dev.backuprestore.backup.Retention;
import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.config.EncryptionConfigLoader;
import dev.backuprestore.config.StorageResolver;
import dev.backuprestore.operator.config.OperatorConfig;
import dev.backuprestore.restore.RestoreRunner;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Builds the engines the reconcilers call, with constructor injection all the way down. */
final class Wiring {
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final String clusterId;
  // One of each for both engines: the resolver remembers S3 uploads an outage left to abort.
  private final StorageResolver storage;
  private final EncryptionConfigLoader encryption;
  private final EventRecorder events;

  Wiring(KubernetesClient client, OperatorConfig config, String clusterId, EventRecorder events) {
    this.client = client;
    this.events = events;
    this.config = config;
    this.clusterId = clusterId;
    this.storage = new StorageResolver(client, config.storageDefaults());
    this.encryption = new EncryptionConfigLoader(client, config.chartNamespace());
  }

  BackupExecutor backupExecutor() {
    return new BackupService(
        clusterId,
        storage,
        encryption,
        new BackupRunner(new ResourceCollector(client), new ObjectMapper()),
        new Retention());
  }

  RestoreExecutor restoreExecutor() {
    return new RestoreService(config, storage, encryption, new RestoreRunner(client), events);
  }
}

package dev.backuprestore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The objects a Backup integration test creates (namespaces, ConfigMaps, Secrets, ResourceSets,
 * Backups), each labelled {@code test=<label>} so that {@link #cleanUp()} removes exactly them, and
 * the waits for the operator's answers. Namespaces are never deleted: the test control plane runs
 * no namespace controller, so a deleted Namespace would stay Terminating.
 */
public final class BackupFixtures {
  public static final String LABEL = "test";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final String label;

  public BackupFixtures(KubernetesClient client, String label) {
    this.client = client;
    this.label = label;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The kube-system Namespace UID, the cluster id in archive file names. */
  public String clusterId() {
    return client.namespaces().withName("kube-system").get().getMetadata().getUid();
  }

  public void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  public ConfigMap configMap(String namespace, String name, Map<String, String> data) {
    return client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(LABEL, label)
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }

  public Secret secret(String namespace, String name, Map<String, String> stringData) {
    return client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(LABEL, label)
                .endMetadata()
                .withStringData(stringData)
                .build())
        .create();
  }

  /** A Secret with S3ProxyServer's credentials under Rancher's keys accessKey and secretKey. */
  public Secret s3CredentialSecret(String namespace, String name) {
    return secret(
        namespace,
        name,
        Map.of("accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY));
  }

  public ResourceSet resourceSet(
      String name, List<ResourceSelector> selectors, List<ControllerReference> controllers) {
    ResourceSet set = new ResourceSet();
    set.setMetadata(metadata(name));
    set.setResourceSelectors(selectors);
    set.setControllerReferences(controllers);
    return client.resources(ResourceSet.class).resource(set).create();
  }

  /** Selects the named kinds of {@code apiVersion} in the given namespaces. */
  public static ResourceSelector selector(
      String apiVersion, List<String> kinds, List<String> namespaces) {
    ResourceSelector selector = new ResourceSelector();
    selector.setApiVersion(apiVersion);
    selector.setKinds(kinds);
    selector.setNamespaces(namespaces);
    return selector;
  }

  /** An S3 location on {@code server} with the credentials of a Secret. */
  public static StorageLocation s3(
      S3ProxyServer server, String bucket, String secretNamespace, String secretName) {
    S3ObjectStore s3 = new S3ObjectStore();
    s3.setEndpoint(server.endpoint());
    s3.setBucketName(bucket);
    s3.setCredentialSecretName(secretName);
    s3.setCredentialSecretNamespace(secretNamespace);
    StorageLocation location = new StorageLocation();
    location.setS3(s3);
    return location;
  }

  public Backup createBackup(String name, String resourceSet, Consumer<BackupSpec> customize) {
    Backup backup = new Backup();
    backup.setMetadata(metadata(name));
    BackupSpec spec = new BackupSpec();
    spec.setResourceSetName(resourceSet);
    customize.accept(spec);
    backup.setSpec(spec);
    return client.resources(Backup.class).resource(backup).create();
  }

  public Backup backup(String name) {
    return client.resources(Backup.class).withName(name).get();
  }

  /** The Backup's status as stored, untyped: the exact strings the API server holds. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> rawStatus(String name) {
    GenericKubernetesResource raw =
        client.genericKubernetesResources("resources.cattle.io/v1", "Backup").withName(name).get();
    return (Map<String, Object>) raw.getAdditionalProperties().get("status");
  }

  /** Waits until the Backup is Ready "Completed" for its current generation. */
  public Backup awaitCompleted(String name) {
    return awaitBackup(
        name,
        b ->
            b.getStatus() != null
                && "Completed".equals(message(b, "Ready"))
                && b.getMetadata().getGeneration().equals(b.getStatus().getObservedGeneration()));
  }

  /** Waits until the Backup has a condition of {@code type} that matches. */
  public Backup awaitCondition(String name, String type, Predicate<Condition> matches) {
    return awaitBackup(
        name,
        b -> {
          Condition condition = condition(b, type);
          return condition != null && matches.test(condition);
        });
  }

  public Backup awaitBackup(String name, Predicate<Backup> matches) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Backup backup = backup(name);
              return backup != null && matches.test(backup);
            });
    return backup(name);
  }

  public static Condition condition(Backup backup, String type) {
    if (backup == null
        || backup.getStatus() == null
        || backup.getStatus().getConditions() == null) {
      return null;
    }
    return backup.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  public static String message(Backup backup, String type) {
    Condition condition = condition(backup, type);
    return condition == null ? null : condition.getMessage();
  }

  /** Events about this very Backup (matched by UID), of a reason, oldest first. */
  public List<Event> events(Backup backup, String reason) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> backup.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
        .filter(e -> reason.equals(e.getReason()))
        .sorted(Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
        .toList();
  }

  /**
   * Asserts Rancher's failure status (docs/rancher-compat.md#backup-status,
   * #diff-permanent-errors): Reconciling False/Error with the message; Stalled True and Ready False
   * for a permanent failure, Ready "Retrying" otherwise; a Warning Event with the message; no file
   * name.
   */
  public void assertFailed(Backup backup, String message, boolean permanent) {
    Condition reconciling = condition(backup, "Reconciling");
    assertThat(reconciling).as("Reconciling condition").isNotNull();
    assertThat(reconciling.getStatus()).isEqualTo("False");
    assertThat(reconciling.getReason()).isEqualTo("Error");
    assertThat(reconciling.getMessage()).isEqualTo(message);
    Condition ready = condition(backup, "Ready");
    if (permanent) {
      assertThat(condition(backup, "Stalled"))
          .extracting(Condition::getStatus, Condition::getMessage)
          .containsExactly("True", message);
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getMessage()).isEqualTo(message);
    } else {
      assertThat(condition(backup, "Stalled")).isNull();
      assertThat(ready.getStatus()).isEqualTo("Unknown");
      assertThat(ready.getMessage()).isEqualTo("Retrying");
    }
    assertThat(condition(backup, "Uploaded")).isNull();
    assertThat(backup.getStatus().getFilename()).isNull();
    assertThat(backup.getStatus().getLastSnapshotTs()).isNull();
    String reason = permanent ? "BackupStalled" : "BackupFailed";
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events(backup, reason))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage()).isEqualTo(message);
                        }));
  }

  /** Every entry of a directory, hidden ones (partial uploads) included, sorted. */
  public static List<String> files(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the Backups, ResourceSets, ConfigMaps and Secrets this fixture created. */
  public void cleanUp() {
    client.resources(Backup.class).withLabel(LABEL, label).delete();
    client.resources(ResourceSet.class).withLabel(LABEL, label).delete();
    client.configMaps().inAnyNamespace().withLabel(LABEL, label).delete();
    client.secrets().inAnyNamespace().withLabel(LABEL, label).delete();
  }

  private ObjectMeta metadata(String name) {
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(name);
    metadata.setLabels(Map.of(LABEL, label));
    return metadata;
  }
}

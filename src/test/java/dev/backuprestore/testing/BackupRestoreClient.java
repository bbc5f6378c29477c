package dev.backuprestore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.Condition;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.RestoreSpec;
import dev.backuprestore.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an operator IT does with our custom resources, as a user would: ResourceSets, Backups that
 * it waits for, Restores and their conditions, the Events about them and the restore Lease. Every
 * resource it creates carries the label {@code test=<testLabel>}, so {@link #deleteAll()} removes
 * exactly this test's resources (another operator started later must not find them).
 */
public final class BackupRestoreClient {
  /** Rancher's name of the Lease that lets one Restore run at a time. */
  public static final String RESTORE_LEASE = "restore-controller";

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final String testLabel;

  public BackupRestoreClient(KubernetesClient client, String testLabel) {
    this.client = client;
    this.testLabel = testLabel;
  }

  /** A selector of the kinds matching {@code kindsRegexp} in the given namespaces. */
  public static ResourceSelector selector(
      String apiVersion, String kindsRegexp, String... namespaces) {
    ResourceSelector selector = new ResourceSelector();
    selector.setApiVersion(apiVersion);
    selector.setKindsRegexp(kindsRegexp);
    selector.setNamespaces(List.of(namespaces));
    return selector;
  }

  /** Creates (or replaces) a ResourceSet. */
  public void resourceSet(String name, ResourceSelector... selectors) {
    ResourceSet set = new ResourceSet();
    set.setMetadata(metadata(name));
    set.setResourceSelectors(List.of(selectors));
    client.resources(ResourceSet.class).resource(set).createOr(existing -> existing.update());
  }

  /** Creates a one-time Backup, waits until it is Completed and returns its status.filename. */
  public String backUp(String name, String resourceSet, Consumer<BackupSpec> customize) {
    Backup backup = new Backup();
    backup.setMetadata(metadata(name));
    BackupSpec spec = new BackupSpec();
    spec.setResourceSetName(resourceSet);
    customize.accept(spec);
    backup.setSpec(spec);
    client.resources(Backup.class).resource(backup).create();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Backup current = client.resources(Backup.class).withName(name).get();
              List<Condition> conditions =
                  current.getStatus() == null ? null : current.getStatus().getConditions();
              failIfStalled("Backup " + name, conditions);
              assertThat(Conditions.message(conditions, Conditions.READY))
                  .as("Ready message of Backup %s", name)
                  .isEqualTo(Conditions.COMPLETED);
            });
    return client.resources(Backup.class).withName(name).get().getStatus().getFilename();
  }

  /** Creates a Restore of {@code backupFilename}; {@code customize} sets the rest of the spec. */
  public Restore createRestore(
      String name, String backupFilename, Consumer<RestoreSpec> customize) {
    Restore restore = new Restore();
    restore.setMetadata(metadata(name));
    RestoreSpec spec = new RestoreSpec();
    spec.setBackupFilename(backupFilename);
    customize.accept(spec);
    restore.setSpec(spec);
    return client.resources(Restore.class).resource(restore).create();
  }

  public Restore restore(String name) {
    return client.resources(Restore.class).withName(name).get();
  }

  /** Waits until the Restore has completed; fails at once if it is Stalled instead. */
  public Restore awaitCompleted(String name) {
    return awaitCompleted(name, TIMEOUT);
  }

  /** As {@link #awaitCompleted(String)}, for a restore of many objects that takes longer. */
  public Restore awaitCompleted(String name, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Restore current = restore(name);
              failIfStalled("Restore " + name, conditions(current));
              assertThat(current.getStatus())
                  .as("status of Restore %s (Reconciling: %s)", name, reconciling(current))
                  .isNotNull()
                  .extracting(s -> s.getRestoreCompletionTs())
                  .isNotNull();
            });
    return restore(name);
  }

  /** Waits until the Restore is Stalled (a permanent error). */
  public Restore awaitStalled(String name) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(Conditions.find(conditions(restore(name)), Conditions.STALLED))
                    .as("Stalled condition of Restore %s", name)
                    .isNotNull());
    return restore(name);
  }

  /** Waits until the Restore's Reconciling condition reports an error containing {@code text}. */
  public Restore awaitReconcilingError(String name, String text) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(Conditions.message(conditions(restore(name)), Conditions.RECONCILING))
                    .as("Reconciling message of Restore %s", name)
                    .contains(text));
    return restore(name);
  }

  public static List<Condition> conditions(Restore restore) {
    return restore == null || restore.getStatus() == null
        ? null
        : restore.getStatus().getConditions();
  }

  public static Condition condition(Restore restore, String type) {
    return Conditions.find(conditions(restore), type);
  }

  /** Events of the given type ("Normal", "Warning") about exactly this object (name and UID). */
  public List<Event> events(HasMetadata about, String type) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> about.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .filter(e -> about.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
        .filter(e -> type.equals(e.getType()))
        .toList();
  }

  /**
   * Waits until there is at least one Event of the type about the object and returns them all. The
   * operator records an Event just after it writes the status that a test waits for.
   */
  public List<Event> awaitEvents(HasMetadata about, String type) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events(about, type), events -> !events.isEmpty());
  }

  /** The restore Lease in the operator namespace, or null. */
  public Lease restoreLease(String operatorNamespace) {
    return client.leases().inNamespace(operatorNamespace).withName(RESTORE_LEASE).get();
  }

  /**
   * Waits until the restore Lease exists and has no holder. It is released just after the status is
   * written, so a test that saw the status waits a moment for it.
   */
  public void awaitLeaseReleased(String operatorNamespace) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Lease lease = restoreLease(operatorNamespace);
              assertThat(lease).as("Lease %s/%s", operatorNamespace, RESTORE_LEASE).isNotNull();
              assertThat(lease.getSpec().getHolderIdentity())
                  .as("holder of Lease %s/%s", operatorNamespace, RESTORE_LEASE)
                  .isNullOrEmpty();
            });
  }

  /** Deletes the Restores, Backups and ResourceSets this test created. */
  public void deleteAll() {
    client.resources(Restore.class).withLabel("test", testLabel).delete();
    client.resources(Backup.class).withLabel("test", testLabel).delete();
    client.resources(ResourceSet.class).withLabel("test", testLabel).delete();
  }

  private ObjectMeta metadata(String name) {
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(name);
    metadata.setLabels(Map.of("test", testLabel));
    return metadata;
  }

  private static String reconciling(Restore restore) {
    return Conditions.message(conditions(restore), Conditions.RECONCILING);
  }

  /** Not an AssertionError, so that Awaitility stops waiting at once. */
  private static void failIfStalled(String what, List<Condition> conditions) {
    Condition stalled = Conditions.find(conditions, Conditions.STALLED);
    if (stalled != null) {
      throw new IllegalStateException(what + " is Stalled: " + stalled.getMessage());
    }
  }
}

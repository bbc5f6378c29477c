package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.backup.BackupJob;
import dev.backuprestore.backup.BackupResult;
import dev.backuprestore.backup.BackupRunner;
import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.storage.InMemoryBackupStore;
import java.io.ByteArrayInputStream;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our own backup, then a restore of it, on a real API server: the archive written by {@code
 * BackupRunner} (Rancher's format, Secrets encrypted) brings deleted and changed objects back,
 * prunes what was added since, and points owner references at the owners' new UIDs.
 */
class RestoreRoundTripIT {
  private final RestoreFixture fixture = new RestoreFixture();

  @Test
  void restoresWhatWasBackedUp() {
    String ns = fixture.name("round-trip");
    fixture.createNamespace(ns);
    ObjectNode deployment = fixture.create("deployments", RestoreFixture.deployment(ns, "web", 2));
    ObjectNode replicaSet = Json.object("apps/v1", "ReplicaSet", ns, "web-1");
    ((ObjectNode) replicaSet.get("metadata"))
        .putArray("ownerReferences")
        .addObject()
        .put("apiVersion", "apps/v1")
        .put("kind", "Deployment")
        .put("name", "web")
        .put("uid", deployment.at("/metadata/uid").asText())
        .put("controller", true);
    replicaSet.set("spec", deployment.get("spec").deepCopy());
    ((ObjectNode) replicaSet.get("spec"))
        .remove(List.of("strategy", "revisionHistoryLimit", "progressDeadlineSeconds"));
    fixture.create("replicasets", replicaSet);
    fixture.create("configmaps", Json.configMap(ns, "deleted-later", "k", "v"));
    fixture.create("configmaps", Json.configMap(ns, "changed-later", "k", "original"));
    ObjectNode secret = Json.object("v1", "Secret", ns, "credentials");
    secret.putObject("data").put("password", "aHVudGVyMg==");
    fixture.create("secrets", secret);

    ObjectCipher cipher = ObjectCipher.of(EncryptionConfig.parse(EncryptionConfigs.AESGCM));
    InMemoryBackupStore store = new InMemoryBackupStore();
    BackupResult backup =
        new BackupRunner(new ResourceCollector(fixture.client), new ObjectMapper())
            .run(
                new BackupJob(
                    "round-trip",
                    "cluster-uid",
                    resourceSet(ns),
                    cipher,
                    true,
                    store,
                    ZonedDateTime.now()));

    // After the backup: objects deleted, changed and added.
    for (String[] gone :
        new String[][] {
          {"apps", "deployments", "web"},
          {"apps", "replicasets", "web-1"},
          {"", "configmaps", "deleted-later"},
          {"", "secrets", "credentials"}
        }) {
      fixture.api.delete(new ObjectPath(gone[0], "v1", gone[1], ns, gone[2]));
    }
    ObjectNode changed = fixture.live("", "v1", "configmaps", ns, "changed-later");
    ((ObjectNode) changed.get("data")).put("k", "changed");
    fixture.api.replace(new ObjectPath("", "v1", "configmaps", ns, "changed-later"), changed);
    fixture.create("configmaps", Json.configMap(ns, "added-later", "k", "v"));

    byte[] archive = store.content(backup.fileName());
    RestoreResult result =
        fixture.restore(
            RestoreFixture.job("round-trip", () -> new ByteArrayInputStream(archive))
                .withCipher(cipher));

    assertThat(result.failed()).isZero();
    assertThat(result.pruned()).isEqualTo(1);
    assertThat(fixture.live("", "v1", "configmaps", ns, "changed-later").at("/data/k").asText())
        .isEqualTo("original");
    assertThat(fixture.get("", "v1", "configmaps", ns, "deleted-later")).isPresent();
    assertThat(fixture.get("", "v1", "configmaps", ns, "added-later")).isEmpty();
    assertThat(fixture.live("", "v1", "secrets", ns, "credentials").at("/data/password").asText())
        .isEqualTo("aHVudGVyMg==");
    String newUid =
        fixture.live("apps", "v1", "deployments", ns, "web").at("/metadata/uid").asText();
    assertThat(newUid).isNotEqualTo(deployment.at("/metadata/uid").asText());
    assertThat(
            fixture
                .live("apps", "v1", "replicasets", ns, "web-1")
                .at("/metadata/ownerReferences/0/uid")
                .asText())
        .isEqualTo(newUid);
  }

  private static ResourceSet resourceSet(String ns) {
    ResourceSelector objects = new ResourceSelector();
    objects.setApiVersion("v1");
    objects.setKindsRegexp("^(configmaps|secrets)$");
    objects.setNamespaces(List.of(ns));
    ResourceSelector workloads = new ResourceSelector();
    workloads.setApiVersion("apps/v1");
    workloads.setKindsRegexp("^(deployments|replicasets)$");
    workloads.setNamespaces(List.of(ns));
    ResourceSelector namespace = new ResourceSelector();
    namespace.setApiVersion("v1");
    namespace.setKinds(List.of("namespaces"));
    namespace.setResourceNames(List.of(ns));
    ResourceSet set = new ResourceSet();
    set.setResourceSelectors(List.of(objects, workloads, namespace));
    set.setControllerReferences(List.of());
    return set;
  }
}

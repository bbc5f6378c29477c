package dev.backuprestore.restore;

import static dev.backuprestore.restore.RestoreFixture.assertContains;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.restore.actions.DefaultRestoreItemActions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Restores on a real kube-apiserver: create, compare, again, overwrite, namespaces, owners. */
class RestoreIT {
  private final RestoreFixture fixture = new RestoreFixture();

  /** A small application; every object of it is in the archive. */
  private List<Object[]> application(String ns, String clusterRole) {
    ObjectNode account = Json.object("v1", "ServiceAccount", ns, "app");
    account.putArray("secrets").addObject().put("name", "app-token-old");
    ObjectNode secret = Json.object("v1", "Secret", ns, "app-secret");
    secret.put("type", "Opaque").putObject("data").put("password", "aHVudGVyMg==");
    ObjectNode configMap = Json.configMap(ns, "app-config", "answer", "42");
    ((ObjectNode) configMap.get("metadata"))
        .put("deletionGracePeriodSeconds", 30); // old archives have it
    ObjectNode service = Json.object("v1", "Service", ns, "app");
    ObjectNode serviceSpec = service.putObject("spec");
    serviceSpec.putObject("selector").put("app", "app");
    serviceSpec.putArray("ports").addObject().put("port", 80).put("targetPort", 8080);
    ObjectNode role = Json.object("rbac.authorization.k8s.io/v1", "Role", ns, "reader");
    ObjectNode rule = role.putArray("rules").addObject();
    rule.putArray("apiGroups").add("");
    rule.putArray("resources").add("configmaps");
    rule.putArray("verbs").add("get");
    ObjectNode binding = Json.object("rbac.authorization.k8s.io/v1", "RoleBinding", ns, "reader");
    binding
        .putObject("roleRef")
        .put("apiGroup", "rbac.authorization.k8s.io")
        .put("kind", "Role")
        .put("name", "reader");
    binding
        .putArray("subjects")
        .addObject()
        .put("kind", "ServiceAccount")
        .put("name", "app")
        .put("namespace", ns);
    ObjectNode cluster =
        Json.object("rbac.authorization.k8s.io/v1", "ClusterRole", null, clusterRole);
    cluster.putArray("rules");
    List<Object[]> objects = new ArrayList<>();
    objects.add(new Object[] {"", "v1", "namespaces", Json.namespace(ns)});
    objects.add(new Object[] {"rbac.authorization.k8s.io", "v1", "clusterroles", cluster});
    objects.add(new Object[] {"", "v1", "serviceaccounts", account});
    objects.add(new Object[] {"", "v1", "secrets", secret});
    objects.add(new Object[] {"", "v1", "configmaps", configMap});
    objects.add(new Object[] {"", "v1", "services", service});
    objects.add(new Object[] {"rbac.authorization.k8s.io", "v1", "roles", role});
    objects.add(new Object[] {"rbac.authorization.k8s.io", "v1", "rolebindings", binding});
    objects.add(
        new Object[] {"apps", "v1", "deployments", RestoreFixture.deployment(ns, "app", 2)});
    return objects;
  }

  private static TestArchive archiveOf(List<Object[]> objects) {
    TestArchive archive = new TestArchive();
    objects.forEach(o -> archive.add((String) o[2], (ObjectNode) o[3]));
    return archive;
  }

  private void assertRestored(List<Object[]> objects) {
    for (Object[] o : objects) {
      ObjectNode expected = ((ObjectNode) o[3]).deepCopy();
      ((ObjectNode) expected.get("metadata")).remove("deletionGracePeriodSeconds");
      expected.remove("secrets"); // ServiceAccounts lose their token list (an action)
      String ns =
          expected.at("/metadata/namespace").isMissingNode()
              ? null
              : expected.at("/metadata/namespace").asText();
      ObjectNode live =
          fixture.live(
              (String) o[0],
              (String) o[1],
              (String) o[2],
              ns,
              expected.at("/metadata/name").asText());
      assertContains(live, expected, (String) o[2]);
      assertThat(live.has("secrets")).isFalse();
    }
  }

  @Test
  void restoresIntoAnEmptyClusterThenAgainIdempotently() {
    String ns = fixture.name("app");
    List<Object[]> objects = application(ns, fixture.name("cluster-reader"));
    ObjectNode fleetRegistration = Json.object("v1", "Secret", ns, "registration");
    fleetRegistration.put("type", "fleet.cattle.io/cluster-registration-values");
    fleetRegistration.putObject("data").put("values", "eA==");
    TestArchive archive =
        archiveOf(objects)
            .add("secrets", fleetRegistration)
            .filters(RestoreFixture.filters(List.of(ns), null));

    RestoreResult first = fixture.restore(RestoreFixture.job("first", archive.supplier()));

    assertThat(first.failed()).isZero();
    assertThat(first.created()).isEqualTo(objects.size());
    assertThat(first.skipped()).isEqualTo(1);
    assertThat(first.pruned()).isZero();
    assertRestored(objects);
    assertThat(fixture.get("", "v1", "secrets", ns, "registration")).isEmpty();

    RestoreResult second = fixture.restore(RestoreFixture.job("second", archive.supplier()));

    assertThat(second.failed()).isZero();
    assertThat(second.created()).isZero();
    assertThat(second.updated()).isEqualTo(objects.size());
    assertRestored(objects);
  }

  @Test
  void overwritesObjectsThatExistAndDiffer() {
    String ns = fixture.name("overwrite");
    fixture.createNamespace(ns);
    ObjectNode live = Json.configMap(ns, "settings", "mode", "changed-after-backup");
    ((ObjectNode) live.get("data")).put("extra", "added-after-backup");
    ((ObjectNode) live.get("metadata")).putObject("labels").put("edited", "true");
    fixture.create("configmaps", live);
    ObjectNode archived = Json.configMap(ns, "settings", "mode", "as-backed-up");

    RestoreResult result =
        fixture.restore(
            RestoreFixture.job(
                    "overwrite", new TestArchive().add("configmaps", archived).supplier())
                .withPrune(false));

    assertThat(result.updated()).isEqualTo(1);
    ObjectNode restored = fixture.live("", "v1", "configmaps", ns, "settings");
    assertThat(restored.get("data")).isEqualTo(archived.get("data"));
    assertThat(restored.at("/metadata/labels").isMissingNode()).isTrue();
  }

  @Test
  void createsAndReportsANamespaceMissingFromArchiveAndCluster() {
    String ns = fixture.name("no-ns");
    TestArchive archive =
        new TestArchive().add("configmaps", Json.configMap(ns, "lonely", "k", "v"));

    RestoreResult result =
        fixture.restore(RestoreFixture.job("missing-ns", archive.supplier()).withPrune(false));

    assertThat(result.failed()).isZero();
    assertThat(result.created()).isEqualTo(1);
    assertThat(fixture.get("", "v1", "namespaces", null, ns)).isPresent();
    assertThat(fixture.get("", "v1", "configmaps", ns, "lonely")).isPresent();
    assertThat(result.warnings())
        .anySatisfy(w -> assertThat(w).contains("namespace " + ns + " was created"));
  }

  @Test
  void rewritesOwnerUidsAndDropsOwnersThatExistNowhere() {
    String ns = fixture.name("owners");
    fixture.createNamespace(ns);
    ObjectNode liveOwner = fixture.create("configmaps", Json.configMap(ns, "live-owner", "k", "v"));
    ObjectNode owner = Json.configMap(ns, "owner", "k", "v");
    ObjectNode dependent =
        Json.ownedBy(Json.configMap(ns, "dependent", "k", "v"), "v1", "ConfigMap", "owner");
    ObjectNode ofLive =
        Json.ownedBy(Json.configMap(ns, "of-live", "k", "v"), "v1", "ConfigMap", "live-owner");
    ObjectNode orphan =
        Json.ownedBy(Json.configMap(ns, "orphan", "k", "v"), "apps/v1", "Deployment", "gone");
    ObjectNode half =
        Json.ownedBy(
            Json.ownedBy(Json.configMap(ns, "half", "k", "v"), "v1", "ConfigMap", "owner"),
            "example.com/v1",
            "NotServed",
            "x");
    // Dependents first in the archive: order comes from the owner graph, not the archive.
    TestArchive archive =
        new TestArchive()
            .add("configmaps", dependent)
            .add("configmaps", half)
            .add("configmaps", ofLive)
            .add("configmaps", orphan)
            .add("configmaps", owner);

    RestoreResult result =
        fixture.restore(RestoreFixture.job("owners", archive.supplier()).withPrune(false));

    assertThat(result.failed()).isZero();
    assertThat(result.created()).isEqualTo(5);
    String ownerUid =
        fixture.live("", "v1", "configmaps", ns, "owner").at("/metadata/uid").asText();
    assertThat(
            fixture
                .live("", "v1", "configmaps", ns, "dependent")
                .at("/metadata/ownerReferences/0/uid")
                .asText())
        .isEqualTo(ownerUid);
    assertThat(
            fixture
                .live("", "v1", "configmaps", ns, "of-live")
                .at("/metadata/ownerReferences/0/uid")
                .asText())
        .isEqualTo(liveOwner.at("/metadata/uid").asText());
    assertThat(
            fixture
                .live("", "v1", "configmaps", ns, "orphan")
                .at("/metadata/ownerReferences")
                .isMissingNode())
        .isTrue();
    ObjectNode halfLive = fixture.live("", "v1", "configmaps", ns, "half");
    assertThat(halfLive.at("/metadata/ownerReferences").size()).isEqualTo(1);
    assertThat(halfLive.at("/metadata/ownerReferences/0/name").asText()).isEqualTo("owner");
    assertThat(result.warnings())
        .anySatisfy(
            w -> assertThat(w).contains("configmaps " + ns + "/orphan").contains("Deployment gone"))
        .anySatisfy(
            w -> assertThat(w).contains("configmaps " + ns + "/half").contains("NotServed x"));
  }

  @Test
  void scalesControllersDownWhileRestoringAndBackAfterwards() {
    String ns = fixture.name("scale");
    fixture.createNamespace(ns);
    fixture.create("deployments", RestoreFixture.deployment(ns, "controller", 3));
    AtomicReference<String> replicasDuringRestore = new AtomicReference<>();
    RestoreItemAction observer =
        new RestoreItemAction() {
          @Override
          public boolean appliesTo(RestoreItem item) {
            return item.path().name().equals("probe");
          }

          @Override
          public ActionResult execute(RestoreItem item) {
            replicasDuringRestore.set(
                fixture
                    .live("apps", "v1", "deployments", ns, "controller")
                    .at("/spec/replicas")
                    .asText());
            return ActionResult.apply(item);
          }
        };
    List<RestoreItemAction> actions = new ArrayList<>(DefaultRestoreItemActions.all());
    actions.add(observer);
    RestoreRunner runner =
        new RestoreRunner(
            fixture.client,
            actions,
            new ResourceCollector(fixture.client),
            ArchiveIndexer.DEFAULT_MAX_ENTRY_BYTES,
            Clock.systemUTC());
    TestArchive archive =
        new TestArchive()
            .add("configmaps", Json.configMap(ns, "probe", "k", "v"))
            .filters(
                RestoreFixture.filters(List.of(ns), RestoreFixture.controller(ns, "controller")));

    RestoreResult result =
        runner.run(RestoreFixture.job("scale", archive.supplier()).withPrune(false));

    assertThat(result.failed()).isZero();
    assertThat(replicasDuringRestore.get()).isEqualTo("0");
    assertThat(
            fixture
                .live("apps", "v1", "deployments", ns, "controller")
                .at("/spec/replicas")
                .asInt())
        .isEqualTo(3);
  }
}

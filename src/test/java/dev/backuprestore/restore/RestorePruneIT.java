package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prune (docs/rancher-compat.md#prune, #diff-prune-protection) on a real API server. */
class RestorePruneIT {
  private final RestoreFixture fixture = new RestoreFixture();

  private static String filtersWithLeases(String ns) {
    return RestoreFixture.filters(List.of(ns), null)
        .replace(
            "\"resourceSelectors\":[",
            "\"resourceSelectors\":[{\"apiVersion\":\"coordination.k8s.io/v1\",\"kinds\":[\"leases\"],"
                + "\"namespaces\":[\""
                + ns
                + "\"]},");
  }

  @Test
  void deletesWhatTheArchiveLacksButNeverTheOperatorsObjects() {
    String ns = fixture.name("prune");
    fixture.createNamespace(ns);
    fixture.create("configmaps", Json.configMap(ns, "kept", "k", "live"));
    fixture.create("configmaps", Json.configMap(ns, "extra-1", "k", "v"));
    fixture.create("secrets", Json.object("v1", "Secret", ns, "extra-2"));
    fixture.create("serviceaccounts", Json.object("v1", "ServiceAccount", ns, "operator"));
    fixture.create("secrets", Json.object("v1", "Secret", ns, "s3-creds"));
    ObjectNode token = Json.object("v1", "Secret", ns, "operator-token");
    token.put("type", "kubernetes.io/service-account-token");
    ((ObjectNode) token.get("metadata"))
        .putObject("annotations")
        .put("kubernetes.io/service-account.name", "operator");
    fixture.create("secrets", token);
    ObjectNode lease = Json.object("coordination.k8s.io/v1", "Lease", ns, "restore-controller");
    lease.putObject("spec").put("holderIdentity", "restore-x:uid");
    fixture.create("leases", lease);
    // The archive holds an old copy of the Lease: it must not replace the live one either.
    ObjectNode oldLease = Json.object("coordination.k8s.io/v1", "Lease", ns, "restore-controller");
    oldLease.putObject("spec").put("holderIdentity", "old-holder");
    TestArchive archive =
        new TestArchive()
            .add("namespaces", Json.namespace(ns))
            .add("configmaps", Json.configMap(ns, "kept", "k", "archived"))
            .add("leases", oldLease)
            .filters(filtersWithLeases(ns));
    ProtectedObjects operator =
        ProtectedObjects.operatorObjects(ns, "operator", List.of("s3-creds"));

    RestoreResult result =
        fixture.restore(
            RestoreFixture.job("prune", archive.supplier()).withProtectedObjects(operator));

    assertThat(result.failed()).isZero();
    assertThat(result.pruned()).isEqualTo(2);
    assertThat(result.skipped()).isEqualTo(1); // the Lease
    assertThat(fixture.get("", "v1", "configmaps", ns, "extra-1")).isEmpty();
    assertThat(fixture.get("", "v1", "secrets", ns, "extra-2")).isEmpty();
    assertThat(fixture.live("", "v1", "configmaps", ns, "kept").at("/data/k").asText())
        .isEqualTo("archived");
    assertThat(fixture.get("", "v1", "serviceaccounts", ns, "operator")).isPresent();
    assertThat(fixture.get("", "v1", "secrets", ns, "s3-creds")).isPresent();
    assertThat(fixture.get("", "v1", "secrets", ns, "operator-token")).isPresent();
    assertThat(
            fixture
                .live("coordination.k8s.io", "v1", "leases", ns, "restore-controller")
                .at("/spec/holderIdentity")
                .asText())
        .isEqualTo("restore-x:uid");
  }

  @Test
  void pruneOffKeepsEverything() {
    String ns = fixture.name("no-prune");
    fixture.createNamespace(ns);
    fixture.create("configmaps", Json.configMap(ns, "extra", "k", "v"));
    TestArchive archive =
        new TestArchive()
            .add("configmaps", Json.configMap(ns, "kept", "k", "v"))
            .filters(RestoreFixture.filters(List.of(ns), null));

    RestoreResult result =
        fixture.restore(RestoreFixture.job("no-prune", archive.supplier()).withPrune(false));

    assertThat(result.pruned()).isZero();
    assertThat(fixture.get("", "v1", "configmaps", ns, "extra")).isPresent();
  }

  @Test
  void waitsTheGracePeriodThenRemovesFinalizers() {
    String ns = fixture.name("finalizers");
    fixture.createNamespace(ns);
    ObjectNode held = Json.configMap(ns, "held", "k", "v");
    ((ObjectNode) held.get("metadata")).putArray("finalizers").add("example.com/hold");
    fixture.create("configmaps", held);
    fixture.create("configmaps", Json.configMap(ns, "free", "k", "v"));
    TestArchive archive =
        new TestArchive()
            .add("namespaces", Json.namespace(ns))
            .add("configmaps", Json.configMap(ns, "kept", "k", "v"))
            .filters(RestoreFixture.filters(List.of(ns), null));
    RestoreJob job =
        RestoreFixture.job("finalizers", archive.supplier()).withDeleteTimeoutSeconds(2);

    RestoreResult first = fixture.runner.run(job);

    assertThat(first.isWaiting()).isTrue();
    assertThat(first.retryAfter()).isBetween(Duration.ofMillis(1), Duration.ofSeconds(2));
    assertThat(first.created()).isEqualTo(1);
    assertThat(first.updated()).isEqualTo(1); // the namespace
    ObjectNode terminating = fixture.live("", "v1", "configmaps", ns, "held");
    assertThat(terminating.at("/metadata/deletionTimestamp").isMissingNode()).isFalse();
    assertThat(fixture.get("", "v1", "configmaps", ns, "free")).isEmpty();

    RestoreFixture.sleep(first.retryAfter().toMillis() + 1000);
    RestoreResult last = fixture.runner.run(job);

    assertThat(last.isWaiting()).isFalse();
    assertThat(fixture.get("", "v1", "configmaps", ns, "held")).isEmpty();
    assertThat(last.pruned()).isEqualTo(2);
    assertThat(last.created()).as("counted across the runs, nothing applied twice").isEqualTo(1);
    assertThat(last.updated()).isEqualTo(1);
  }
}

package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Objects the API server rejects, with and without ignoreErrors
 * (docs/rancher-compat.md#restore-status, #diff-specific-errors).
 */
class RestoreErrorsIT {
  private final RestoreFixture fixture = new RestoreFixture();

  /** A ConfigMap the API server refuses (422): its data key is not a valid key. */
  private static ObjectNode invalid(String ns, String name) {
    return Json.configMap(ns, name, "not a valid key!", "x");
  }

  private TestArchive archive(String ns) {
    fixture.createNamespace(ns);
    fixture.create("deployments", RestoreFixture.deployment(ns, "controller", 2));
    fixture.create("configmaps", Json.configMap(ns, "extra", "k", "v")); // prune candidate
    return new TestArchive()
        .add("configmaps", Json.configMap(ns, "good", "k", "v"))
        .add("configmaps", invalid(ns, "bad"))
        .add(
            "configmaps",
            Json.ownedBy(Json.configMap(ns, "child", "k", "v"), "v1", "ConfigMap", "bad"))
        .filters(
            """
            {"resourceSelectors":[{"apiVersion":"v1","kinds":["configmaps"],"namespaces":["%s"]}],
             "controllerReferences":[%s]}"""
                .formatted(ns, RestoreFixture.controller(ns, "controller")));
  }

  @Test
  void failsNamingTheObjectAndTheReasonAndScalesControllersBack() {
    String ns = fixture.name("fail");
    TestArchive archive = archive(ns);

    RestoreFailedException failure =
        catchThrowableOfType(
            RestoreFailedException.class,
            () -> fixture.restore(RestoreFixture.job("fail", archive.supplier())));

    assertThat(failure)
        .hasMessageStartingWith("2 objects failed: ")
        .hasMessageContaining("configmaps " + ns + "/bad: 422 Invalid: ")
        .hasMessageContaining("not a valid key!")
        .hasMessageContaining(
            "configmaps " + ns + "/child: its owner configmaps " + ns + "/bad was not restored")
        .hasMessageContaining("(while restoring namespaced objects)");
    assertThat(failure.isPermanent()).isFalse(); // the child's failure goes with its owner's fix
    assertThat(failure.result().failed()).isEqualTo(2);
    assertThat(failure.result().created()).isEqualTo(1);
    assertThat(failure.result().failures())
        .extracting(ObjectFailure::object)
        .containsExactlyInAnyOrder("configmaps " + ns + "/bad", "configmaps " + ns + "/child");
    assertThat(fixture.get("", "v1", "configmaps", ns, "good")).isPresent();
    assertThat(fixture.get("", "v1", "configmaps", ns, "extra"))
        .as("no prune after a failure")
        .isPresent();
    assertThat(
            fixture
                .live("apps", "v1", "deployments", ns, "controller")
                .at("/spec/replicas")
                .asInt())
        .isEqualTo(2);
  }

  @Test
  void aRejectedObjectAloneIsAPermanentFailure() {
    String ns = fixture.name("permanent");
    fixture.createNamespace(ns);
    TestArchive archive = new TestArchive().add("configmaps", invalid(ns, "bad"));

    RestoreFailedException failure =
        catchThrowableOfType(
            RestoreFailedException.class,
            () -> fixture.restore(RestoreFixture.job("permanent", archive.supplier())));

    assertThat(failure)
        .hasMessageStartingWith("1 object failed: configmaps " + ns + "/bad: 422 Invalid");
    assertThat(failure.isPermanent()).isTrue();
  }

  @Test
  void ignoreErrorsCountsFailuresAndGoesOnToPrune() {
    String ns = fixture.name("ignore");
    TestArchive archive = archive(ns);

    RestoreResult result =
        fixture.restore(RestoreFixture.job("ignore", archive.supplier()).withIgnoreErrors(true));

    assertThat(result.isWaiting()).isFalse();
    assertThat(result.failed()).isEqualTo(2);
    assertThat(result.created()).isEqualTo(1);
    assertThat(result.pruned()).isEqualTo(1); // "extra"
    assertThat(result.failures()).first().satisfies(f -> assertThat(f.toString()).contains(ns));
    assertThat(fixture.get("", "v1", "configmaps", ns, "good")).isPresent();
    assertThat(fixture.get("", "v1", "configmaps", ns, "bad")).isEmpty();
    assertThat(fixture.get("", "v1", "configmaps", ns, "extra")).isEmpty();
  }
}

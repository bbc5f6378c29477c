package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.Discovery;
import dev.backuprestore.kube.KubeJsonApi;
import dev.backuprestore.restore.actions.DefaultRestoreItemActions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The apply steps the real API server rarely shows on demand: update conflicts, objects created
 * meanwhile, the status write, tolerated refusals. Against fabric8's mock server in expectation
 * mode (anything not expected answers 404).
 */
@EnableKubernetesMockClient
class ObjectApplierTest {
  private static final String CM = "/api/v1/namespaces/ns/configmaps/cm";

  KubernetesMockServer server;
  KubernetesClient client;

  private final RestoreTally tally = new RestoreTally();

  private ObjectApplier applier(RestorePlan plan) {
    ObjectApi api = new ObjectApi(client);
    OwnerReferences owners =
        new OwnerReferences(plan, api, new ResourceTypes(new Discovery(new KubeJsonApi(client))));
    return new ObjectApplier(api, plan, DefaultRestoreItemActions.all(), owners, tally);
  }

  private static PlannedObject planned(
      String group, String resource, String namespace, String name) {
    return new PlannedObject(
        new ObjectPath(group, "v1", resource, namespace, name), "X", List.of());
  }

  private static RestorePlan plan(PlannedObject object, Set<String> statusKeys) {
    return new RestorePlan(new ArrayList<>(List.of(object)), BackupFilters.absent(), statusKeys);
  }

  private static String live(String resourceVersion) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"namespace\":\"ns\","
        + "\"uid\":\"uid-1\",\"resourceVersion\":\""
        + resourceVersion
        + "\"}}";
  }

  private static final String CONFLICT =
      "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\",\"message\":\"the object has been modified\"}";

  private List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (int i = server.getRequestCount(); i > 0; i--) {
      requests.add(server.takeRequest());
    }
    return requests;
  }

  private void alreadyExists(String collection) {
    server
        .expect()
        .post()
        .withPath(collection)
        .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"AlreadyExists\"}")
        .once();
  }

  @Test
  void retriesAnUpdateConflictWithTheNewResourceVersion() throws Exception {
    alreadyExists("/api/v1/namespaces/ns/configmaps");
    server.expect().get().withPath(CM).andReturn(200, live("1")).once();
    server.expect().put().withPath(CM).andReturn(409, CONFLICT).once();
    server.expect().get().withPath(CM).andReturn(200, live("2")).once();
    server.expect().put().withPath(CM).andReturn(200, live("3")).once();
    PlannedObject cm = planned("", "configmaps", "ns", "cm");

    applier(plan(cm, Set.of())).apply(cm, Json.configMap("ns", "cm", "k", "v"));

    assertThat(tally.result(null).updated()).isEqualTo(1);
    assertThat(tally.failedCount()).isZero();
    assertThat(cm.state()).isEqualTo(PlannedObject.State.APPLIED);
    assertThat(cm.liveUid()).isEqualTo("uid-1");
    List<RecordedRequest> puts =
        requests().stream().filter(r -> r.getMethod().equals("PUT")).toList();
    assertThat(puts).hasSize(2);
    assertThat(body(puts.get(0)).at("/metadata/resourceVersion").asText()).isEqualTo("1");
    assertThat(body(puts.get(1)).at("/metadata/resourceVersion").asText()).isEqualTo("2");
  }

  @Test
  void givesUpAfterRepeatedConflictsAsATransientFailure() {
    alreadyExists("/api/v1/namespaces/ns/configmaps");
    server.expect().get().withPath(CM).andReturn(200, live("1")).always();
    server.expect().put().withPath(CM).andReturn(409, CONFLICT).always();
    PlannedObject cm = planned("", "configmaps", "ns", "cm");

    applier(plan(cm, Set.of())).apply(cm, Json.configMap("ns", "cm", "k", "v"));

    assertThat(tally.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.toString())
                  .isEqualTo("configmaps ns/cm: 409 Conflict: the object has been modified");
              assertThat(f.permanent()).isFalse();
            });
    assertThat(cm.state()).isEqualTo(PlannedObject.State.FAILED);
  }

  @Test
  void anObjectThatExistsIsReadAfterItsCreateConflictsAndUpdatedWithTheLiveVersion()
      throws Exception {
    alreadyExists("/api/v1/namespaces/ns/configmaps");
    server.expect().get().withPath(CM).andReturn(200, live("5")).once();
    server.expect().put().withPath(CM).andReturn(200, live("6")).once();
    PlannedObject cm = planned("", "configmaps", "ns", "cm");

    applier(plan(cm, Set.of())).apply(cm, Json.configMap("ns", "cm", "k", "v"));

    assertThat(tally.failedCount()).isZero();
    assertThat(tally.result(null).updated()).isEqualTo(1);
    assertThat(tally.result(null).created()).isZero();
    List<RecordedRequest> requests = requests();
    assertThat(requests)
        .extracting(RecordedRequest::getMethod)
        .containsExactly("POST", "GET", "PUT");
    JsonNode put = body(requests.get(2));
    assertThat(put.at("/metadata/resourceVersion").asText()).isEqualTo("5");
    assertThat(put.at("/data/k").asText()).isEqualTo("v");
  }

  @Test
  void aCreateParsesTheBodyOnceAndAConflictStartsAgainFromAFreshTree() throws Exception {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/ns/configmaps")
        .andReturn(201, live("1"))
        .once();
    PlannedObject created = planned("", "configmaps", "ns", "cm");
    AtomicInteger parses = new AtomicInteger();
    applier(plan(created, Set.of()))
        .apply(
            created,
            () -> {
              parses.incrementAndGet();
              return Json.configMap("ns", "cm", "k", "v");
            });
    assertThat(parses).hasValue(1);
    assertThat(created.liveUid()).isEqualTo("uid-1");

    alreadyExists("/api/v1/namespaces/ns/configmaps");
    server.expect().get().withPath(CM).andReturn(200, live("5")).once();
    server.expect().put().withPath(CM).andReturn(200, live("6")).once();
    PlannedObject updated = planned("", "configmaps", "ns", "cm");
    List<ObjectNode> trees = new ArrayList<>();
    applier(plan(updated, Set.of()))
        .apply(
            updated,
            () -> {
              ObjectNode tree = Json.configMap("ns", "cm", "k", "v");
              trees.add(tree);
              return tree;
            });
    assertThat(trees).hasSize(2);
    // The write-first attempt changed its own tree only; the update was built from a fresh one.
    assertThat(trees.get(0)).isNotSameAs(trees.get(1));
    assertThat(tally.result(null).updated()).isEqualTo(1);
    JsonNode put = body(requests().get(3));
    assertThat(put.at("/metadata/resourceVersion").asText()).isEqualTo("5");
  }

  @Test
  void anObjectDeletedBetweenTheConflictAndTheReadIsCreatedAgain() throws Exception {
    alreadyExists("/api/v1/namespaces/ns/configmaps");
    server.expect().get().withPath(CM).andReturn(404, "{}").once();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/ns/configmaps")
        .andReturn(201, live("7"))
        .once();
    PlannedObject cm = planned("", "configmaps", "ns", "cm");

    applier(plan(cm, Set.of())).apply(cm, Json.configMap("ns", "cm", "k", "v"));

    assertThat(tally.result(null).created()).isEqualTo(1);
    assertThat(requests())
        .extracting(RecordedRequest::getMethod)
        .containsExactly("POST", "GET", "POST");
  }

  @Test
  void aCreateRefusedForAnObjectThatExistsBecomesTheUpdateItWouldHaveBeen() throws Exception {
    // A webhook may refuse a create before the apiserver finds that the object exists.
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/ns/configmaps")
        .andReturn(400, "{\"kind\":\"Status\",\"code\":400,\"message\":\"denied\"}")
        .once();
    server.expect().get().withPath(CM).andReturn(200, live("5")).once();
    server.expect().put().withPath(CM).andReturn(200, live("6")).once();
    PlannedObject cm = planned("", "configmaps", "ns", "cm");

    applier(plan(cm, Set.of())).apply(cm, Json.configMap("ns", "cm", "k", "v"));

    assertThat(tally.failedCount()).isZero();
    assertThat(tally.result(null).updated()).isEqualTo(1);
    assertThat(requests())
        .extracting(RecordedRequest::getMethod)
        .containsExactly("POST", "GET", "PUT");
  }

  @Test
  void aTypeWhoseObjectsMostlyExistIsReadFirst() throws Exception {
    int existing = LookupPolicy.MIN_WRITES;
    List<PlannedObject> objects = new ArrayList<>();
    for (int i = 0; i <= existing; i++) {
      String path = "/api/v1/namespaces/ns/configmaps/cm" + i;
      if (i < existing) {
        alreadyExists("/api/v1/namespaces/ns/configmaps");
      }
      server.expect().get().withPath(path).andReturn(200, live("1")).once();
      server.expect().put().withPath(path).andReturn(200, live("2")).once();
      objects.add(planned("", "configmaps", "ns", "cm" + i));
    }
    ObjectApplier applier =
        applier(new RestorePlan(new ArrayList<>(objects), BackupFilters.absent(), Set.of()));

    for (int i = 0; i <= existing; i++) {
      applier.apply(objects.get(i), Json.configMap("ns", "cm" + i, "k", "v"));
    }

    assertThat(tally.result(null).updated()).isEqualTo(existing + 1);
    List<String> methods = requests().stream().map(RecordedRequest::getMethod).toList();
    assertThat(methods).hasSize(3 * existing + 2);
    assertThat(methods.subList(3 * existing, 3 * existing + 2)).containsExactly("GET", "PUT");
  }

  @Test
  void aSkippedObjectIsReadSoThatItsDependentsGetItsLiveUid() throws Exception {
    String role = "/apis/management.cattle.io/v3/globalroles/admin";
    server
        .expect()
        .get()
        .withPath(role)
        .andReturn(200, "{\"metadata\":{\"name\":\"admin\",\"uid\":\"live-uid\"}}")
        .once();
    PlannedObject planned =
        new PlannedObject(
            new ObjectPath("management.cattle.io", "v3", "globalroles", null, "admin"),
            "GlobalRole",
            List.of());
    ObjectNode builtin = Json.object("management.cattle.io/v3", "GlobalRole", null, "admin");
    builtin.put("builtin", true);

    applier(plan(planned, Set.of())).apply(planned, builtin);

    assertThat(tally.result(null).skipped()).isEqualTo(1);
    assertThat(planned.state()).isEqualTo(PlannedObject.State.SKIPPED);
    assertThat(planned.liveUid()).isEqualTo("live-uid");
    assertThat(requests()).extracting(RecordedRequest::getMethod).containsExactly("GET");
  }

  @Test
  void createsWithoutServerFieldsAndWritesTheArchivedStatusOfCustomResources() throws Exception {
    String widgets = "/apis/example.com/v1/namespaces/ns/widgets";
    String created =
        "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\"ns\","
            + "\"uid\":\"new-uid\",\"resourceVersion\":\"7\"},\"spec\":{\"size\":1}}";
    server.expect().post().withPath(widgets).andReturn(201, created).once();
    server.expect().put().withPath(widgets + "/w/status").andReturn(200, created).once();
    PlannedObject widget = planned("example.com", "widgets", "ns", "w");
    ObjectNode archived = Json.object("example.com/v1", "Widget", "ns", "w");
    ((ObjectNode) archived.get("metadata"))
        .put("uid", "old-uid")
        .put("resourceVersion", "99")
        .put("deletionGracePeriodSeconds", 30);
    archived.putObject("spec").put("size", 1);
    archived.putObject("status").put("phase", "Ready").put("count", 9007199254740993L);

    applier(plan(widget, Set.of("example.com/widgets/v1"))).apply(widget, archived);

    assertThat(tally.result(null).created()).isEqualTo(1);
    List<RecordedRequest> requests = requests();
    assertThat(requests).extracting(RecordedRequest::getMethod).containsExactly("POST", "PUT");
    JsonNode post = body(requests.get(0));
    assertThat(post.at("/metadata").has("uid")).isFalse();
    assertThat(post.at("/metadata").has("resourceVersion")).isFalse();
    assertThat(post.at("/metadata").has("deletionGracePeriodSeconds")).isFalse();
    JsonNode status = body(requests.get(1));
    assertThat(requests.get(1).getPath()).isEqualTo(widgets + "/w/status");
    assertThat(status.at("/metadata/resourceVersion").asText()).isEqualTo("7");
    assertThat(status.at("/status/count").toString()).isEqualTo("9007199254740993");
    assertThat(widget.liveUid()).isEqualTo("new-uid");
  }

  @Test
  void noStatusWriteForTypesWithoutAnArchivedStatusSubresource() throws Exception {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/ns/configmaps")
        .andReturn(201, live("1"))
        .once();
    PlannedObject cm = planned("", "configmaps", "ns", "cm");
    ObjectNode archived = Json.configMap("ns", "cm", "k", "v");
    archived.putObject("status").put("phase", "x");

    applier(plan(cm, Set.of())).apply(cm, archived);

    assertThat(requests()).extracting(RecordedRequest::getMethod).containsExactly("POST");
  }

  @Test
  void theSettingsWebhookDenialCountsAsSkipped() {
    String path = "/apis/management.cattle.io/v3/settings";
    server
        .expect()
        .post()
        .withPath(path)
        .andReturn(
            400,
            "{\"kind\":\"Status\",\"code\":400,\"message\":\"admission webhook "
                + "\\\"rancher.cattle.io.settings\\\" denied the request: read-only\"}")
        .once();
    PlannedObject setting =
        new PlannedObject(
            new ObjectPath("management.cattle.io", "v3", "settings", null, "server-url"),
            "Setting",
            List.of());

    applier(plan(setting, Set.of()))
        .apply(setting, Json.object("management.cattle.io/v3", "Setting", null, "server-url"));

    assertThat(tally.failedCount()).isZero();
    assertThat(tally.result(null).skipped()).isEqualTo(1);
  }

  @Test
  void dependentsOfAFailedOwnerFailToo() {
    PlannedObject owner = planned("", "configmaps", "ns", "owner");
    PlannedObject dependent = planned("", "configmaps", "ns", "dependent");
    RestorePlan plan =
        new RestorePlan(
            new ArrayList<>(
                List.of(new PlannedObject(owner.path(), "ConfigMap", List.of()), dependent)),
            BackupFilters.absent(),
            Set.of());
    plan.objects().get(0).failed();

    applier(plan)
        .apply(
            dependent,
            Json.ownedBy(Json.configMap("ns", "dependent", "k", "v"), "v1", "ConfigMap", "owner"));

    assertThat(tally.failures())
        .singleElement()
        .asString()
        .isEqualTo("configmaps ns/dependent: its owner configmaps ns/owner was not restored");
  }

  private static JsonNode body(RecordedRequest request) {
    return Json.parse(request.getBody().readUtf8());
  }
}

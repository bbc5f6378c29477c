package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.kube.OperatorException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Two Restores created together race for the Lease: the one whose write loses (409) reports the
 * winner like a held Lease, not as a raw API error. (The takeover and release paths run against a
 * real API server in RestoreLeaseIT.)
 */
@EnableKubernetesMockClient
class RestoreLeaseTest {
  private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/ops/leases";
  private static final String LEASE = LEASES + "/restore-controller";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void losingTheCreateRaceNamesTheWinner() {
    server.expect().get().withPath(LEASE).andReturn(404, status(404, "NotFound")).once();
    server.expect().post().withPath(LEASES).andReturn(409, status(409, "AlreadyExists")).once();
    server.expect().get().withPath(LEASE).andReturn(200, lease("first:uid-1")).once();

    OperatorException error = acquireFails();

    assertThat(error).hasMessage("restore first:uid-1 is in progress");
    assertThat(error.isPermanent()).isFalse();
  }

  @Test
  void losingTheUpdateRaceNamesTheWinner() {
    server.expect().get().withPath(LEASE).andReturn(200, lease("")).once();
    server.expect().put().withPath(LEASE).andReturn(409, status(409, "Conflict")).once();
    server.expect().get().withPath(LEASE).andReturn(200, lease("other:uid-2")).once();

    assertThat(acquireFails()).hasMessage("restore other:uid-2 is in progress");
  }

  @Test
  void aLeaseReleasedMeanwhileIsATransientError() {
    server.expect().get().withPath(LEASE).andReturn(404, status(404, "NotFound")).once();
    server.expect().post().withPath(LEASES).andReturn(409, status(409, "AlreadyExists")).once();
    server.expect().get().withPath(LEASE).andReturn(200, lease("")).once();

    OperatorException error = acquireFails();

    assertThat(error).hasMessage("the Lease restore-controller changed while this restore took it");
    assertThat(error.isPermanent()).isFalse();
  }

  @Test
  void anUnfinishedHolderKeepsTheLease() {
    server.expect().get().withPath(LEASE).andReturn(200, lease("first:uid-1")).once();
    server
        .expect()
        .get()
        .withPath("/apis/resources.cattle.io/v1/restores/first")
        .andReturn(200, restore("first", "uid-1", "{\"conditions\":[]}"))
        .once();

    assertThat(acquireFails()).hasMessage("restore first:uid-1 is in progress");
  }

  @Test
  void aHolderStalledForItsGenerationIsStaleAndTakenOver() {
    server.expect().get().withPath(LEASE).andReturn(200, lease("first:uid-1")).once();
    server
        .expect()
        .get()
        .withPath("/apis/resources.cattle.io/v1/restores/first")
        .andReturn(
            200,
            restore(
                "first",
                "uid-1",
                "{\"observedGeneration\":1,\"conditions\":[{\"type\":\"Stalled\",\"status\":\"True\"}]}"))
        .once();
    server.expect().put().withPath(LEASE).andReturn(200, lease("second:uid-9")).once();

    assertThat(acquireFails()).isNull();
  }

  private static String restore(String name, String uid, String status) {
    return """
        {"apiVersion":"resources.cattle.io/v1","kind":"Restore",
         "metadata":{"name":"%s","uid":"%s","generation":1},
         "spec":{"backupFilename":"x.tar.gz"},"status":%s}"""
        .formatted(name, uid, status);
  }

  private OperatorException acquireFails() {
    Restore restore = new Restore();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName("second");
    metadata.setUid("uid-9");
    restore.setMetadata(metadata);
    RestoreLease lease = new RestoreLease(client, "ops", Clock.systemUTC());
    return catchThrowableOfType(OperatorException.class, () -> lease.acquire(restore));
  }

  private static String lease(String holder) {
    return """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
         "metadata":{"name":"restore-controller","namespace":"ops","resourceVersion":"7"},
         "spec":{"holderIdentity":"%s"}}"""
        .formatted(holder);
  }

  private static String status(int code, String reason) {
    return """
        {"apiVersion":"v1","kind":"Status","status":"Failure","reason":"%s","code":%d,
         "message":"leases.coordination.k8s.io \\"restore-controller\\" %s"}"""
        .formatted(reason, code, reason);
  }
}

package dev.backuprestore.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Discovery discovery;

  @BeforeEach
  void startServer() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    discovery = new Discovery(new KubeJsonApi(client));
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  @Test
  void coreGroupComesFromApiV1() {
    server
        .expect()
        .get()
        .withPath("/api/v1")
        .andReturn(
            200,
            """
            {"kind":"APIResourceList","groupVersion":"v1","resources":[
              {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace",
               "verbs":["create","delete","get","list","patch","update","watch"]},
              {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},
              {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
               "verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}
            ]}
            """)
        .once();

    List<ResourceType> types = discovery.resourcesFor("v1");

    assertThat(types)
        .containsExactly(
            new ResourceType(
                "",
                "v1",
                "namespaces",
                "Namespace",
                false,
                List.of("create", "delete", "get", "list", "patch", "update", "watch")),
            new ResourceType("", "v1", "pods/log", "Pod", true, List.of("get")),
            new ResourceType(
                "",
                "v1",
                "secrets",
                "Secret",
                true,
                List.of(
                    "create",
                    "delete",
                    "deletecollection",
                    "get",
                    "list",
                    "patch",
                    "update",
                    "watch")));
  }

  @Test
  void namedGroupComesFromApis() {
    server
        .expect()
        .get()
        .withPath("/apis/management.cattle.io/v3")
        .andReturn(
            200,
            """
            {"kind":"APIResourceList","groupVersion":"management.cattle.io/v3","resources":[
              {"name":"users","namespaced":false,"kind":"User","verbs":["get","list"]}]}
            """)
        .once();

    assertThat(discovery.resourcesFor("management.cattle.io/v3"))
        .containsExactly(
            new ResourceType(
                "management.cattle.io", "v3", "users", "User", false, List.of("get", "list")));
  }

  @Test
  void groupVersionThatIsNotServedIsEmpty() {
    assertThat(discovery.resourcesFor("example.com/v1")).isEmpty();
  }

  @Test
  void otherFailuresNameTheApiVersion() {
    server
        .expect()
        .get()
        .withPath("/apis/locked.io/v1")
        .andReturn(
            403,
            """
            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden",
             "message":"forbidden: User cannot get path /apis/locked.io/v1","code":403}
            """)
        .once();

    assertThatThrownBy(() -> discovery.resourcesFor("locked.io/v1"))
        .isInstanceOf(KubeApiException.class)
        .hasMessage(
            "error gathering resource for locked.io/v1: GET /apis/locked.io/v1: 403 Forbidden:"
                + " forbidden: User cannot get path /apis/locked.io/v1")
        .satisfies(
            e -> {
              KubeApiException failure = (KubeApiException) e;
              assertThat(failure.statusCode()).isEqualTo(403);
              assertThat(failure.isPermanent()).isFalse();
            });
  }

  @Test
  void emptyApiVersionIsAPermanentError() {
    assertThatThrownBy(() -> discovery.resourcesFor(""))
        .isInstanceOf(KubeApiException.class)
        .hasMessage("error gathering resource for : groupVersion shouldn't be empty")
        .satisfies(e -> assertThat(((KubeApiException) e).isPermanent()).isTrue());
  }

  @Test
  void unreachableServerIsTransient() {
    Config config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:1")
            .withRequestRetryBackoffLimit(0)
            .build();
    try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> new Discovery(new KubeJsonApi(unreachable)).resourcesFor("v1"))
          .isInstanceOf(KubeApiException.class)
          .hasMessageStartingWith("error gathering resource for v1: GET /api/v1: ")
          .satisfies(
              e -> {
                assertThat(((KubeApiException) e).statusCode()).isZero();
                assertThat(((KubeApiException) e).isPermanent()).isFalse();
              });
    }
  }
}

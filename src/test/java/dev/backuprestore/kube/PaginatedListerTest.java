package dev.backuprestore.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaginatedListerTest {
  private static final ResourceType SECRETS =
      new ResourceType("", "v1", "secrets", "Secret", true, List.of("list"));
  private static final ResourceType WIDGETS =
      new ResourceType("example.com", "v1", "widgets", "Widget", false, List.of("list"));

  private KubernetesMockServer server;
  private KubernetesClient client;
  private KubeJsonApi api;

  @BeforeEach
  void startServer() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    api = new KubeJsonApi(client);
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  private static String secretPage(String continueToken, String... names) {
    StringBuilder items = new StringBuilder();
    for (String name : names) {
      if (items.length() > 0) {
        items.append(',');
      }
      items.append("{\"metadata\":{\"name\":\"").append(name).append("\",\"namespace\":\"ns\"}}");
    }
    return "{\"kind\":\"SecretList\",\"apiVersion\":\"v1\",\"metadata\":{\"continue\":\""
        + continueToken
        + "\"},\"items\":["
        + items
        + "]}";
  }

  @Test
  void followsContinueTokensAndDeliversOnePageAtATime() throws Exception {
    String query = "?labelSelector=app+in+%28a%2Cb%29&fieldSelector=type%3DOpaque&limit=2";
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets" + query)
        .andReturn(200, secretPage("t1", "a", "b"))
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets" + query + "&continue=t1")
        .andReturn(200, secretPage("t2", "c", "d"))
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets" + query + "&continue=t2")
        .andReturn(200, secretPage("", "e"))
        .once();
    List<List<String>> pages = new ArrayList<>();

    long total =
        new PaginatedLister(api, 2)
            .list(
                SECRETS,
                new ListSelectors("app in (a,b)", "type=Opaque"),
                page ->
                    pages.add(
                        page.stream().map(o -> o.path("metadata").path("name").asText()).toList()));

    assertThat(total).isEqualTo(5);
    assertThat(pages).containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
  }

  @Test
  void theNextPageIsFetchedWhileTheConsumerWorksOnThisOne() throws Exception {
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?limit=1")
        .andReturn(200, secretPage("t1", "a"))
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?limit=1&continue=t1")
        .andReturn(200, secretPage("", "b"))
        .once();
    List<Integer> requestsSeenByConsumer = new ArrayList<>();

    new PaginatedLister(api, 1)
        .list(
            SECRETS,
            ListSelectors.NONE,
            page -> {
              if (requestsSeenByConsumer.isEmpty()) {
                // Without prefetching, the second request is only sent after this returns.
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (server.getRequestCount() < 2 && System.nanoTime() < deadline) {
                  Thread.onSpinWait();
                }
              }
              requestsSeenByConsumer.add(server.getRequestCount());
            });

    assertThat(requestsSeenByConsumer).containsExactly(2, 2);
  }

  @Test
  void aFailingConsumerStopsTheListingWithItsOwnException() {
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?limit=1")
        .andReturn(200, secretPage("t1", "a"))
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?limit=1&continue=t1")
        .andReturn(200, secretPage("t2", "b"))
        .once();
    IOException diskFull = new IOException("disk full");

    assertThatThrownBy(
            () ->
                new PaginatedLister(api, 1)
                    .list(
                        SECRETS,
                        ListSelectors.NONE,
                        page -> {
                          throw diskFull;
                        }))
        .isSameAs(diskFull);
  }

  @Test
  void defaultPageSizeIs200AndItemsGetTheListsKind() throws Exception {
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?limit=200")
        .andReturn(200, secretPage("", "a"))
        .once();
    List<ObjectNode> items = new ArrayList<>();

    new PaginatedLister(api).list(SECRETS, ListSelectors.NONE, items::addAll);

    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("apiVersion").asText()).isEqualTo("v1");
    assertThat(items.get(0).get("kind").asText()).isEqualTo("Secret");
  }

  @Test
  void customResourcesKeepTheirOwnTypeMetaAndExactIntegers() throws Exception {
    server
        .expect()
        .get()
        .withPath("/apis/example.com/v1/widgets?limit=200")
        .andReturn(
            200,
            """
            {"apiVersion":"example.com/v1","items":[
              {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},
               "spec":{"big":9007199254740993,"huge":18446744073709551617,"ratio":0.1}}],
             "kind":"WidgetList","metadata":{"continue":"","resourceVersion":"5"}}
            """)
        .once();
    List<ObjectNode> items = new ArrayList<>();

    new PaginatedLister(api).list(WIDGETS, ListSelectors.NONE, items::addAll);

    assertThat(CanonicalJson.toString(items.get(0)))
        .isEqualTo(
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":{\"big\":9007199254740993,\"huge\":18446744073709551617,"
                + "\"ratio\":0.1}}");
  }

  @Test
  void anExpiredContinueTokenFailsTheListing() {
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?limit=1")
        .andReturn(200, secretPage("old", "a"))
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?limit=1&continue=old")
        .andReturn(
            410,
            "{\"kind\":\"Status\",\"reason\":\"Expired\",\"message\":\"too old resource version\"}")
        .once();

    assertThatThrownBy(
            () -> new PaginatedLister(api, 1).list(SECRETS, ListSelectors.NONE, page -> {}))
        .isInstanceOf(KubeApiException.class)
        .hasMessage("GET /api/v1/secrets: 410 Expired: too old resource version")
        .satisfies(e -> assertThat(((KubeApiException) e).isPermanent()).isFalse());
  }

  @Test
  void aBadRequestIsPermanent() {
    server
        .expect()
        .get()
        .withPath("/api/v1/secrets?fieldSelector=spec.x%3D1&limit=200")
        .andReturn(
            400,
            "{\"kind\":\"Status\",\"reason\":\"BadRequest\","
                + "\"message\":\"field label not supported: spec.x\"}")
        .once();

    assertThatThrownBy(
            () ->
                new PaginatedLister(api)
                    .list(SECRETS, new ListSelectors("", "spec.x=1"), page -> {}))
        .isInstanceOf(KubeApiException.class)
        .hasMessageContaining("400 BadRequest: field label not supported: spec.x")
        .satisfies(e -> assertThat(((KubeApiException) e).isPermanent()).isTrue());
  }
}

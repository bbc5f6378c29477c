package dev.backuprestore.collect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backuprestore.api.v1.ResourceSelector;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM with a small heap by {@link CollectorMemoryTest}: the backup's collection of
 * COUNT objects (half ConfigMaps, half Secrets, in 100 namespaces) through {@link
 * ResourceCollector} and the fabric8 HTTP client, from a local HTTP server that serves discovery
 * and paginated LISTs generated on the fly (a fast stand-in for the apiserver: the point is the
 * collector's memory, not the server). The sink counts the objects and checks they arrive once.
 *
 * <p>Prints "collected=N duplicates=D heapAfterGcMiB=H".
 */
public final class CollectorMemoryProbe {
  private static final String DISCOVERY =
      """
      {"kind":"APIResourceList","groupVersion":"v1","resources":[
        {"name":"configmaps","namespaced":true,"kind":"ConfigMap","verbs":["get","list"]},
        {"name":"secrets","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""";
  private static final int PAGE = 200;

  private CollectorMemoryProbe() {}

  public static void main(String[] args) throws IOException {
    int perType = Integer.parseInt(args[0]) / 2;
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService handlers = Executors.newFixedThreadPool(2);
    server.setExecutor(handlers);
    server.createContext("/", exchange -> serve(exchange, perType));
    server.start();
    Config config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
            .withRequestRetryBackoffLimit(0)
            .build();
    AtomicLong count = new AtomicLong();
    AtomicLong lastHeap = new AtomicLong();
    CollectionSummary summary;
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      ResourceSelector selector = new ResourceSelector();
      selector.setApiVersion("v1");
      selector.setKindsRegexp("^(configmaps|secrets)$");
      selector.setNamespaceRegexp("^bench-");
      summary =
          new ResourceCollector(client)
              .collect(
                  List.of(selector),
                  (type, object) -> {
                    if (count.incrementAndGet() % 100_000 == 0) {
                      lastHeap.set(heapAfterGc()); // the collector's state is live here
                    }
                  });
    } finally {
      server.stop(0);
      handlers.shutdownNow();
    }
    System.out.println(
        "collected="
            + summary.collected()
            + " duplicates="
            + summary.duplicatesSkipped()
            + " heapAfterGcMiB="
            + lastHeap.get() / (1024 * 1024));
    System.exit(0); // the HTTP client's and server's threads must not keep the JVM up
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void serve(HttpExchange exchange, int perType) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String body;
    if (path.equals("/api/v1")) {
      body = DISCOVERY;
    } else if (path.equals("/api/v1/configmaps") || path.equals("/api/v1/secrets")) {
      boolean secrets = path.endsWith("secrets");
      int from = 0;
      for (String part : query == null ? new String[0] : query.split("&")) {
        if (part.startsWith("continue=") && part.length() > "continue=".length()) {
          from = Integer.parseInt(part.substring("continue=".length()));
        }
      }
      body = page(secrets, from, Math.min(perType, from + PAGE), perType);
    } else {
      byte[] notFound = "{\"kind\":\"Status\",\"code\":404}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, notFound.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(notFound);
      }
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String page(boolean secrets, int from, int to, int total) {
    String kind = secrets ? "Secret" : "ConfigMap";
    StringBuilder json =
        new StringBuilder("{\"kind\":\"")
            .append(kind)
            .append("List\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"");
    if (to < total) {
      json.append(",\"continue\":\"").append(to).append('"');
    }
    json.append("},\"items\":[");
    for (int i = from; i < to; i++) {
      if (i > from) {
        json.append(',');
      }
      json.append("{\"metadata\":{\"name\":\"")
          .append(secrets ? "secret-" : "cm-")
          .append(i)
          .append("\",\"namespace\":\"bench-")
          .append(String.format("%03d", i % 100))
          .append("\",\"uid\":\"u")
          .append(i)
          .append("\",\"resourceVersion\":\"7\"},\"data\":{\"k\":\"djE=\"}}");
    }
    return json.append("]}").toString();
  }
}

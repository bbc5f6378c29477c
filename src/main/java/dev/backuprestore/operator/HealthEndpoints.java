package dev.backuprestore.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Always-on liveness ({@code /healthz}) and readiness ({@code /readyz}) endpoints, backed by the
 * java-operator-sdk runtime: 200 when the operator has started and every event source (the
 * informers on Backups, Restores, ResourceSets and Secrets) is healthy, 503 with the unhealthy ones
 * otherwise. A replica that waits for the leader Lease is healthy and ready: it is doing its job.
 */
final class HealthEndpoints implements AutoCloseable {
  private final HttpServer server;

  private HealthEndpoints(HttpServer server) {
    this.server = server;
  }

  /**
   * @param standby true while this replica is not the leader (its controllers are not started)
   */
  static HealthEndpoints start(int port, RuntimeInfo runtime, BooleanSupplier standby) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.setExecutor(
          Executors.newSingleThreadExecutor(
              r -> {
                Thread thread = new Thread(r, "health-endpoints");
                thread.setDaemon(true);
                return thread;
              }));
      server.createContext("/healthz", exchange -> answer(exchange, runtime, standby));
      server.createContext("/readyz", exchange -> answer(exchange, runtime, standby));
      server.start();
      return new HealthEndpoints(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve health probes on port " + port, e);
    }
  }

  private static void answer(HttpExchange exchange, RuntimeInfo runtime, BooleanSupplier standby)
      throws IOException {
    int code;
    String body;
    if (!runtime.isStarted()) {
      code = 503;
      body = "starting\n";
    } else if (standby.getAsBoolean()) {
      code = 200;
      body = "ok: standby, waiting for the leader Lease\n";
    } else if (runtime.allEventSourcesAreHealthy()) {
      code = 200;
      body = "ok\n";
    } else {
      code = 503;
      body = "unhealthy event sources: " + runtime.unhealthyEventSources().keySet() + "\n";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService executor) {
      executor.shutdownNow();
    }
  }
}

package dev.backuprestore.etcd.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Opens {@link EtcdMaintenance} instances for member client URLs, sharing two HTTP clients (one
 * HTTP/1.1 for the JSON gateway, one HTTP/2 for the gRPC snapshot stream) and the TLS context.
 *
 * @see SnapshotTransport
 */
public final class EtcdConnector implements AutoCloseable {
  private final HttpClient gateway;
  private final HttpClient grpc;
  private final Duration callTimeout;
  private final SnapshotTransport transport;

  /**
   * How the snapshot stream is fetched. {@link #AUTO}: gRPC on {@code https} endpoints (what every
   * real cluster uses), the JSON gateway on {@code http} ones (plain-text gRPC would need HTTP/2
   * prior knowledge, which the JDK client does not speak).
   */
  public enum SnapshotTransport {
    AUTO,
    GRPC,
    GATEWAY
  }

  /**
   * @param tls client TLS, or null for plain {@code http} endpoints
   * @param callTimeout the timeout of each small call
   */
  public EtcdConnector(EtcdTls tls, Duration callTimeout, SnapshotTransport transport) {
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    this.transport = Objects.requireNonNull(transport, "transport");
    HttpClient.Builder one =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5));
    HttpClient.Builder two =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      var context = tls.sslContext();
      one.sslContext(context);
      two.sslContext(context);
    }
    this.gateway = one.build();
    this.grpc = two.build();
  }

  /** A plain-text connector with a 10 s call timeout. */
  public static EtcdConnector plain() {
    return new EtcdConnector(null, Duration.ofSeconds(10), SnapshotTransport.AUTO);
  }

  public EtcdMaintenance connect(String endpoint) {
    String url = normalize(endpoint);
    boolean useGrpc =
        transport == SnapshotTransport.GRPC
            || (transport == SnapshotTransport.AUTO && url.startsWith("https://"));
    return new HttpEtcdMaintenance(url, gateway, useGrpc ? grpc : null, callTimeout);
  }

  /** {@code host:port} becomes {@code https://host:port}; a trailing slash is dropped. */
  static String normalize(String endpoint) {
    String url = endpoint.trim();
    if (!url.contains("://")) {
      url = "https://" + url;
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    URI uri = URI.create(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("etcd endpoint " + endpoint + " is not http or https");
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("etcd endpoint " + endpoint + " needs a host and a port");
    }
    return url;
  }

  @Override
  public void close() {
    // java.net.http clients release their threads when unreferenced (close() is Java 21+).
  }
}

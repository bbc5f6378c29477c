package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.KubeApiException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Raw JSON requests on single objects of any type (the dynamic API), through the fabric8 client's
 * HTTP client so that its authentication, TLS and retry settings apply. Bodies are our own Jackson
 * trees, so integers and decimals travel exactly (docs/rancher-compat.md#diff-exact-numbers). An
 * {@link ObjectPath} addresses the object: group, version, plural resource, namespace ({@code null}
 * for cluster-scoped) and name.
 *
 * <p>Failures are {@link KubeApiException}s whose message is the server's status ("422 Invalid:
 * ..."); the caller adds which object it was.
 */
final class ObjectApi {
  private static final String JSON = "application/json";
  private static final String MERGE_PATCH = "application/merge-patch+json";

  /** Tries per request when the connection fails before a response: 0.2 + 0.4 + 0.8 + 1.6 s. */
  private static final int TRANSPORT_ATTEMPTS = 5;

  private static final long TRANSPORT_BACKOFF_MILLIS = 200;

  private final HttpClient http;
  private final String baseUrl;
  private final boolean dryRun;

  ObjectApi(KubernetesClient client) {
    this.http = client.getHttpClient();
    String master = client.getMasterUrl().toString();
    this.baseUrl = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
    this.dryRun = false;
  }

  private ObjectApi(ObjectApi api, boolean dryRun) {
    this.http = api.http;
    this.baseUrl = api.baseUrl;
    this.dryRun = dryRun;
  }

  /**
   * The same API where every write is a server-side dry run ({@code ?dryRun=All}): admission,
   * defaulting and schema validation run, nothing is stored.
   */
  ObjectApi dryRun() {
    return new ObjectApi(this, true);
  }

  boolean isDryRun() {
    return dryRun;
  }

  /** The live object, or empty when it does not exist (404). */
  Optional<ObjectNode> get(ObjectPath path) {
    try {
      return Optional.of(send("GET", objectUrl(path), null, null));
    } catch (KubeApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  ObjectNode create(ObjectPath path, ObjectNode body) {
    return write("POST", collectionUrl(path), body).object();
  }

  /**
   * Creates the object and returns the server's answer unparsed: a restore into an empty cluster
   * needs only its {@code metadata.uid} ({@link StoredObject#uid}), which is read without building
   * the object's tree.
   */
  StoredObject createStored(ObjectPath path, ObjectNode body) {
    return write("POST", collectionUrl(path), body);
  }

  /** Full update (PUT); the body carries the live {@code metadata.resourceVersion}. */
  ObjectNode replace(ObjectPath path, ObjectNode body) {
    return send("PUT", objectUrl(path), JSON, body);
  }

  ObjectNode replaceStatus(ObjectPath path, ObjectNode body) {
    return send("PUT", objectUrl(path) + "/status", JSON, body);
  }

  ObjectNode mergePatch(ObjectPath path, ObjectNode patch) {
    return send("PATCH", objectUrl(path), MERGE_PATCH, patch);
  }

  /** Deletes the object; false when it was already gone (404). */
  boolean delete(ObjectPath path) {
    try {
      send("DELETE", objectUrl(path), null, null);
      return true;
    } catch (KubeApiException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  private ObjectNode send(String method, String url, String contentType, ObjectNode body) {
    url = withDryRun(method, url);
    HttpRequest.Builder builder = requestTo(url);
    if (body != null) {
      // A String body, not a stream: the client may send a request again (429, 5xx).
      builder.method(
          method, contentType, new String(ArchiveJson.write(body), StandardCharsets.UTF_8));
    } else {
      builder.method(method, null, null);
    }
    HttpResponse<byte[]> response = sendWithTransportRetries(builder.build());
    return new StoredObject(method + " " + url, response.code(), successful(response)).object();
  }

  /**
   * A POST with the body's bytes as they were serialised (no String copy on the way: fabric8 takes
   * a byte[] body for POST only); the answer is parsed when asked for.
   */
  private StoredObject write(String method, String url, ObjectNode body) {
    url = withDryRun(method, url);
    HttpRequest request = requestTo(url).post(JSON, ArchiveJson.write(body)).build();
    HttpResponse<byte[]> response = sendWithTransportRetries(request);
    return new StoredObject(method + " " + url, response.code(), successful(response));
  }

  private String withDryRun(String method, String url) {
    return dryRun && !method.equals("GET") ? url + "?dryRun=All" : url;
  }

  private HttpRequest.Builder requestTo(String url) {
    return http.newHttpRequestBuilder().uri(URI.create(url)).header("Accept", JSON);
  }

  /** The body of a 2xx response; any other status is the server's refusal. */
  private static byte[] successful(HttpResponse<byte[]> response) {
    byte[] responseBody = response.body();
    if (!response.isSuccessful()) {
      throw new KubeApiException(
          KubeApiException.statusText(response.code(), responseBody), response.code());
    }
    return responseBody;
  }

  /**
   * Sends the request; a connection closed or reset before the response (an apiserver that
   * throttles with 429s may close an HTTP/2 connection under load; a load balancer may drop one) is
   * tried again, {@link #TRANSPORT_ATTEMPTS} times in all with a short backoff, before the
   * apiserver is reported unreachable. Sending again is safe: a create that had arrived answers 409
   * AlreadyExists, an update with a stale resourceVersion 409 Conflict, and the applier re-reads
   * the object on a 409; a delete of a deleted object answers 404.
   */
  private HttpResponse<byte[]> sendWithTransportRetries(HttpRequest request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return http.sendAsync(request, byte[].class).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KubeApiException("interrupted", 0, e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (attempt >= TRANSPORT_ATTEMPTS) {
          throw new KubeApiException("API server unreachable: " + cause.getMessage(), 0, cause);
        }
        try {
          Thread.sleep(TRANSPORT_BACKOFF_MILLIS << (attempt - 1));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new KubeApiException("interrupted", 0, interrupted);
        }
      }
    }
  }

  private String collectionUrl(ObjectPath path) {
    StringBuilder url = new StringBuilder(baseUrl);
    if (path.group().isEmpty()) {
      url.append("/api/").append(segment(path.version()));
    } else {
      url.append("/apis/")
          .append(segment(path.group()))
          .append('/')
          .append(segment(path.version()));
    }
    if (path.namespace() != null) {
      url.append("/namespaces/").append(segment(path.namespace()));
    }
    return url.append('/').append(segment(path.resource())).toString();
  }

  private String objectUrl(ObjectPath path) {
    return collectionUrl(path) + "/" + segment(path.name());
  }

  /** Percent-encodes one path segment so that a name can never change the URL's structure. */
  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

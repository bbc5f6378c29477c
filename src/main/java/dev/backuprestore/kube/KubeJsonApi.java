package dev.backuprestore.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Raw JSON GETs against the API server, through the fabric8 client's HTTP client (so its
 * authentication, TLS and retry settings apply).
 *
 * <p>Why not fabric8's generic resources: responses are parsed by our own Jackson mapper into a
 * tree, so integers stay exact ({@code IntNode}/{@code LongNode}/{@code BigIntegerNode}, never a
 * double), and we see the HTTP status of every failure (a discovery 404 means "not served").
 */
public class KubeJsonApi {
  /** Go's encoding/json accepts nesting up to 10000 levels; Jackson's default is 1000. */
  private static final int MAX_NESTING_DEPTH = 10_000;

  private final HttpClient http;
  private final String baseUrl;
  private final ObjectMapper mapper;

  public KubeJsonApi(KubernetesClient client) {
    this(client.getHttpClient(), client.getMasterUrl().toString());
  }

  KubeJsonApi(HttpClient http, String masterUrl) {
    this.http = http;
    this.baseUrl =
        masterUrl.endsWith("/") ? masterUrl.substring(0, masterUrl.length() - 1) : masterUrl;
    this.mapper = newMapper();
  }

  /** A mapper whose trees keep integers exact and that accepts Go's nesting depth. */
  public static ObjectMapper newMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();
    return new ObjectMapper(factory);
  }

  /**
   * GETs {@code path} (e.g. {@code /api/v1/secrets}) with the given query parameters (null or empty
   * values are left out) and returns the JSON object of a 2xx response.
   *
   * @throws KubeApiException for a non-2xx status (with the server's Status message), a network
   *     failure, or a body that is not a JSON object
   */
  public ObjectNode get(String path, Map<String, String> query) {
    String description = "GET " + path;
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(URI.create(baseUrl + path + UrlPaths.query(query)))
            .header("Accept", "application/json")
            .build();
    HttpResponse<byte[]> response = send(request, description);
    byte[] body = response.body() == null ? new byte[0] : response.body();
    if (!response.isSuccessful()) {
      throw new KubeApiException(
          description + ": " + KubeApiException.statusText(response.code(), body), response.code());
    }
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (IOException e) {
      throw new KubeApiException(
          description + ": the response is not valid JSON: " + e.getMessage(), response.code(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new KubeApiException(
          description + ": the response is not a JSON object", response.code());
    }
    return object;
  }

  /**
   * Sends the request and reads the whole body. A page is at most {@code limit} objects, so its
   * bytes are bounded; fabric8's streamed InputStream bodies were not used because closing one
   * makes the Vert.x client drop the pooled connection under the next request.
   */
  private HttpResponse<byte[]> send(HttpRequest request, String description) {
    try {
      return http.sendAsync(request, byte[].class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeApiException(description + ": interrupted", 0, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new KubeApiException(description + ": " + cause.getMessage(), 0, cause);
    }
  }
}

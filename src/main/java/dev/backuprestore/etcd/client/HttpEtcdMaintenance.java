package dev.backuprestore.etcd.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@link EtcdMaintenance} over HTTP with no extra dependency: the small calls go through etcd's
 * JSON gateway ({@code /v3/...}, on by default in etcd), the snapshot through gRPC over HTTP/2
 * ({@link GrpcSnapshotStream}) when an HTTP/2 client is given, else through the gateway (base64 in
 * JSON, about 3 times slower). Why not jetcd or grpc-java: docs/etcd-snapshots.md.
 */
final class HttpEtcdMaintenance implements EtcdMaintenance {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private final String endpoint;
  private final HttpClient gateway;
  private final HttpClient grpc;
  private final Duration timeout;

  HttpEtcdMaintenance(String endpoint, HttpClient gateway, HttpClient grpc, Duration timeout) {
    this.endpoint = endpoint;
    this.gateway = gateway;
    this.grpc = grpc;
    this.timeout = timeout;
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public List<EtcdMember> memberList() {
    JsonNode response = call("/v3/cluster/member/list", "{\"linearizable\":true}", "member list");
    List<EtcdMember> members = new ArrayList<>();
    for (JsonNode m : response.path("members")) {
      members.add(
          new EtcdMember(
              u64(m, "ID"),
              m.path("name").asText(""),
              strings(m.path("peerURLs")),
              strings(m.path("clientURLs")),
              m.path("isLearner").asBoolean(false)));
    }
    return members;
  }

  @Override
  public EtcdStatus status() {
    JsonNode r = call("/v3/maintenance/status", "{}", "status");
    JsonNode header = r.path("header");
    return new EtcdStatus(
        u64(header, "cluster_id"),
        u64(header, "member_id"),
        u64(header, "revision"),
        r.path("version").asText(""),
        r.path("storageVersion").asText(""),
        u64(r, "dbSize"),
        u64(r, "dbSizeInUse"),
        u64(r, "dbSizeQuota"),
        u64(r, "leader"),
        u64(r, "raftIndex"),
        u64(r, "raftTerm"),
        u64(r, "raftAppliedIndex"),
        strings(r.path("errors")),
        r.path("isLearner").asBoolean(false));
  }

  @Override
  public List<EtcdAlarm> alarms() {
    JsonNode r = call("/v3/maintenance/alarm", "{\"action\":\"GET\"}", "alarm list");
    List<EtcdAlarm> alarms = new ArrayList<>();
    for (JsonNode a : r.path("alarms")) {
      alarms.add(new EtcdAlarm(u64(a, "memberID"), a.path("alarm").asText("NONE")));
    }
    return alarms;
  }

  @Override
  public EtcdHashKv hashKv(long revision) {
    JsonNode r =
        call("/v3/maintenance/hashkv", "{\"revision\":\"" + revision + "\"}", "hashKV " + revision);
    return new EtcdHashKv(
        u64(r, "hash"), u64(r, "hash_revision"), r.path("compact_revision").asLong(-1));
  }

  @Override
  public long linearizableRead(String key) {
    String body =
        "{\"key\":\""
            + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
            + "\"}";
    return u64(call("/v3/kv/range", body, "linearizable read").path("header"), "revision");
  }

  @Override
  public SnapshotStreamed snapshot(OutputStream out) {
    if (grpc != null) {
      return new GrpcSnapshotStream(grpc, endpoint).copyTo(out);
    }
    return gatewaySnapshot(out);
  }

  /** {"result":{"blob":"<base64>","remaining_bytes":"N","version":"..."}} messages, streamed. */
  private SnapshotStreamed gatewaySnapshot(OutputStream out) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + "/v3/maintenance/snapshot"))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    long bytes = 0;
    String version = "";
    long lastRemaining = -1;
    try {
      HttpResponse<InputStream> response =
          gateway.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw failure("snapshot", response.statusCode(), new String(body.readAllBytes()));
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
          JsonToken token;
          while ((token = parser.nextToken()) != null) {
            if (token != JsonToken.FIELD_NAME) {
              continue;
            }
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
              case "blob" -> {
                byte[] blob = parser.getBinaryValue();
                out.write(blob);
                bytes += blob.length;
              }
              case "result" -> lastRemaining = 0; // a zero remaining_bytes is left out
              case "remaining_bytes" -> lastRemaining = Long.parseLong(parser.getValueAsString());
              case "version" -> version = parser.getValueAsString("");
              case "error" ->
                  throw new EtcdCallException(
                      "etcd "
                          + endpoint
                          + " snapshot failed: "
                          + (parser.currentToken() == JsonToken.START_OBJECT
                              ? JSON.<JsonNode>readTree(parser).path("message").asText()
                              : parser.getValueAsString()),
                      false);
              default -> {
                if (parser.currentToken() == JsonToken.START_OBJECT) {
                  parser.skipChildren();
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw unreachable("snapshot", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdCallException("interrupted: etcd " + endpoint + " snapshot", false, e);
    }
    if (lastRemaining != 0) {
      throw new EtcdCallException(
          "etcd " + endpoint + " snapshot stream ended early after " + bytes + " bytes", false);
    }
    return new SnapshotStreamed(bytes, version);
  }

  private JsonNode call(String path, String body, String what) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = gateway.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw failure(what, response.statusCode(), response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw unreachable(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdCallException("interrupted: etcd " + endpoint + " " + what, false, e);
    }
  }

  private EtcdCallException failure(String what, int status, String body) {
    String message = body;
    try {
      JsonNode error = JSON.readTree(body);
      if (error.hasNonNull("message")) {
        message = error.get("message").asText();
      } else if (error.hasNonNull("error")) {
        message = error.get("error").asText();
      }
    } catch (IOException notJson) {
      // keep the raw body
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    return new EtcdCallException(
        "etcd " + endpoint + " " + what + " failed (HTTP " + status + "): " + message, false);
  }

  private EtcdCallException unreachable(String what, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new EtcdCallException(
        "etcd " + endpoint + " unreachable (" + what + "): " + reason, false, e);
  }

  /** etcd's gateway writes 64-bit integers as JSON strings; member IDs use all 64 bits. */
  static long u64(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return 0;
    }
    String text = value.asText();
    if (text.startsWith("-")) {
      return Long.parseLong(text);
    }
    return Long.parseUnsignedLong(text);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : array) {
      out.add(s.asText());
    }
    return out;
  }
}

package dev.backuprestore.etcd.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * etcd's {@code Maintenance/Snapshot} server stream over gRPC (HTTP/2 with the JDK client), decoded
 * by hand: the call has an empty request and one response message type, so a generated stub and its
 * three libraries (grpc, protobuf, netty) would carry a lot for four fields. Why not the JSON
 * gateway: it base64-encodes every 32 KiB chunk into JSON and is about 3 times slower
 * (docs/etcd-snapshots.md).
 *
 * <p>The framing is gRPC's: per message 1 byte compressed flag (always 0 here: we ask for no
 * compression), 4 bytes big-endian length, then the protobuf {@code SnapshotResponse}: {@code
 * header} (1, message), {@code remaining_bytes} (2, uint64), {@code blob} (3, bytes), {@code
 * version} (4, string). etcd ends with a message whose blob is the sha256 trailer and {@code
 * remaining_bytes} 0. The JDK client does not expose HTTP/2 trailers, so completeness is that last
 * message (and the caller's trailer check), and an error shows up as a stream that ends early or as
 * {@code grpc-status} in a trailers-only response.
 */
final class GrpcSnapshotStream {
  private static final String PATH = "/etcdserverpb.Maintenance/Snapshot";
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private final HttpClient client;
  private final String endpoint;

  GrpcSnapshotStream(HttpClient client, String endpoint) {
    this.client = client;
    this.endpoint = endpoint;
  }

  EtcdMaintenance.SnapshotStreamed copyTo(OutputStream out) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + PATH))
            .header("Content-Type", "application/grpc")
            .header("TE", "trailers")
            .header("grpc-accept-encoding", "identity")
            // an empty SnapshotRequest, uncompressed
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5]))
            .build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        String status = response.headers().firstValue("grpc-status").orElse(null);
        if (response.statusCode() != 200 || (status != null && !status.equals("0"))) {
          throw new EtcdCallException(
              "etcd "
                  + endpoint
                  + " snapshot failed: HTTP "
                  + response.statusCode()
                  + ", grpc-status "
                  + status
                  + " "
                  + response.headers().firstValue("grpc-message").orElse(""),
              false);
        }
        if (response.version() != HttpClient.Version.HTTP_2) {
          throw new EtcdCallException(
              "etcd " + endpoint + " did not speak HTTP/2 for the gRPC snapshot call", false);
        }
        return decode(body, out);
      }
    } catch (IOException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new EtcdCallException(
          "etcd " + endpoint + " snapshot stream failed: " + reason, false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdCallException("interrupted: etcd " + endpoint + " snapshot", false, e);
    }
  }

  private EtcdMaintenance.SnapshotStreamed decode(InputStream in, OutputStream out)
      throws IOException {
    byte[] prefix = new byte[5];
    byte[] message = new byte[64 * 1024];
    long bytes = 0;
    String version = "";
    boolean complete = false;
    while (true) {
      int first = in.readNBytes(prefix, 0, 5);
      if (first == 0) {
        break;
      }
      if (first < 5) {
        throw new EOFException("truncated gRPC frame header");
      }
      if (prefix[0] != 0) {
        throw new IOException("compressed gRPC message, but identity was requested");
      }
      int length =
          ((prefix[1] & 0xff) << 24)
              | ((prefix[2] & 0xff) << 16)
              | ((prefix[3] & 0xff) << 8)
              | (prefix[4] & 0xff);
      if (length < 0 || length > MAX_MESSAGE) {
        throw new IOException("gRPC message of " + length + " bytes");
      }
      if (message.length < length) {
        message = new byte[length];
      }
      if (in.readNBytes(message, 0, length) < length) {
        throw new EOFException("truncated gRPC message");
      }
      // Parse the SnapshotResponse fields.
      int pos = 0;
      long remaining = 0; // proto3 leaves out a zero remaining_bytes
      while (pos < length) {
        long key = 0;
        int shift = 0;
        byte b;
        do {
          b = message[pos++];
          key |= (long) (b & 0x7f) << shift;
          shift += 7;
        } while (b < 0);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if (wire == 0) {
          long value = 0;
          shift = 0;
          do {
            b = message[pos++];
            value |= (long) (b & 0x7f) << shift;
            shift += 7;
          } while (b < 0);
          if (field == 2) {
            remaining = value;
          }
        } else if (wire == 2) {
          long len = 0;
          shift = 0;
          do {
            b = message[pos++];
            len |= (long) (b & 0x7f) << shift;
            shift += 7;
          } while (b < 0);
          if (len < 0 || pos + len > length) {
            throw new IOException("malformed SnapshotResponse field " + field);
          }
          if (field == 3) {
            out.write(message, pos, (int) len);
            bytes += len;
          } else if (field == 4) {
            version = new String(message, pos, (int) len, StandardCharsets.UTF_8);
          }
          pos += (int) len;
        } else {
          throw new IOException("unexpected protobuf wire type " + wire + " in SnapshotResponse");
        }
      }
      complete = remaining == 0;
    }
    if (!complete) {
      throw new EtcdCallException(
          "etcd " + endpoint + " snapshot stream ended early after " + bytes + " bytes", false);
    }
    return new EtcdMaintenance.SnapshotStreamed(bytes, version);
  }
}

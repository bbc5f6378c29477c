package dev.backuprestore.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An in-process S3 server for integration tests: S3Proxy on {@code 127.0.0.1} with a random port,
 * static credentials ({@link #ACCESS_KEY} / {@link #SECRET_KEY}, AWS signature V2 or V4) and an
 * in-memory blob store that lives as long as this object, so data survives {@link #stop()} and
 * {@link #start()}. Buckets are addressed path-style ({@code host:port/bucket/key}).
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.http()) {
 *   s3.createBucket("backups");
 *   // endpoint: s3.endpoint() ("127.0.0.1:<port>"), useHttps=false, credentials ACCESS_KEY/SECRET_KEY
 * }
 * }</pre>
 *
 * <p>{@link #https(Path)} serves TLS with a certificate from a CA made at runtime; pass {@link
 * #caPem()} (or base64 of it) as {@code endpointCA}.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** 20 characters, like an AWS access key id. */
  public static final String ACCESS_KEY = "AKIATESTS3PROXY00001";

  public static final String SECRET_KEY = "s3proxy-test-secret-key-0000000000000000";

  private final BlobStore blobStore = new TransientNio2BlobStore();
  private final TestCertificates certificates;
  private final String host;
  private int port;
  private S3Proxy proxy;

  private S3ProxyServer(TestCertificates certificates, String host) {
    this.certificates = certificates;
    this.host = host;
  }

  /** Starts a plain HTTP server (what the operator uses in dev mode). */
  public static S3ProxyServer http() throws Exception {
    S3ProxyServer server = new S3ProxyServer(null, "127.0.0.1");
    server.start();
    return server;
  }

  /** Starts an HTTPS server; the CA and key store are generated into {@code workDirectory}. */
  public static S3ProxyServer https(Path workDirectory) throws Exception {
    return https(workDirectory, "127.0.0.1");
  }

  /**
   * An HTTPS server on {@code host} (an address of this machine, e.g. a node's bridge address that
   * pods reach), with {@code host} in its certificate.
   */
  public static S3ProxyServer https(Path workDirectory, String host) throws Exception {
    S3ProxyServer server = new S3ProxyServer(TestCertificates.generate(workDirectory, host), host);
    server.start();
    return server;
  }

  /**
   * {@code <host>:<port>} ({@code 127.0.0.1} unless given), without scheme, as the CRD's {@code
   * endpoint} field.
   */
  public String endpoint() {
    return host + ":" + port;
  }

  /** The full URI, e.g. {@code http://127.0.0.1:40123}. */
  public URI uri() {
    return URI.create((isHttps() ? "https://" : "http://") + endpoint());
  }

  public boolean isHttps() {
    return certificates != null;
  }

  /** The CA certificate (PEM) that signed the server certificate; null for HTTP. */
  public String caPem() {
    return certificates == null ? null : certificates.caPem();
  }

  public void createBucket(String name) {
    blobStore.createContainer(name);
  }

  /** Keys of the objects in {@code bucket}, read from the blob store, not through S3. */
  public List<String> objectKeys(String bucket) {
    return blobStore.list(bucket).contents().stream().map(S3Object::key).toList();
  }

  /** The user metadata ({@code x-amz-meta-*}) of an object, read from the blob store. */
  public java.util.Map<String, String> userMetadata(String bucket, String key) {
    return blobStore.blobMetadata(bucket, key).metadata();
  }

  /** Keys of the multipart uploads started but neither completed nor aborted in {@code bucket}. */
  public List<String> pendingMultipartUploads(String bucket) {
    return blobStore.listMultipartUploads(bucket).stream().map(MultipartUpload::key).toList();
  }

  /**
   * Starts a multipart upload of {@code key} and leaves it pending, as a process killed mid-upload
   * does.
   */
  public void startMultipartUpload(String bucket, String key) {
    // Through the S3 API, as a killed operator did: uploads planted in the blob store directly
    // are not listed by S3Proxy's ListMultipartUploads.
    try (software.amazon.awssdk.services.s3.S3Client client =
        software.amazon.awssdk.services.s3.S3Client.builder()
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .endpointOverride(uri())
            .forcePathStyle(true)
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        ACCESS_KEY, SECRET_KEY)))
            .build()) {
      client.createMultipartUpload(request -> request.bucket(bucket).key(key));
    }
  }

  /** Starts (again) on the same port with the same data. The first start picks a free port. */
  public synchronized void start() throws Exception {
    if (proxy != null) {
      return;
    }
    URI bind = URI.create((isHttps() ? "https" : "http") + "://" + host + ":" + port);
    S3Proxy.Builder builder =
        S3Proxy.builder()
            .blobStore(blobStore)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .ignoreUnknownHeaders(true);
    if (isHttps()) {
      builder
          .secureEndpoint(bind)
          .keyStore(certificates.serverKeyStore().toString(), certificates.password());
    } else {
      builder.endpoint(bind);
    }
    S3Proxy started = builder.build();
    started.start();
    while (!"STARTED".equals(started.getState())) {
      Thread.sleep(10);
    }
    port = isHttps() ? started.getSecurePort() : started.getPort();
    proxy = started;
  }

  /** Stops serving; the data stays for a later {@link #start()}. */
  public synchronized void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    blobStore.close();
  }

  @Override
  public String toString() {
    return "S3ProxyServer[" + uri() + "]";
  }
}

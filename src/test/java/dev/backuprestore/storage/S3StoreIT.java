package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** {@link S3Store} against a real S3 server (S3Proxy in-process). */
class S3StoreIT {
  /** The smallest part S3 (and S3Proxy) accepts; smaller than the default to keep tests quick. */
  private static final int SMALL_PART = S3Store.MIN_PART_SIZE;

  private static S3ProxyServer http;
  private static S3Client raw;

  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    http = S3ProxyServer.http();
    raw =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(http.uri())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
            .build();
  }

  @AfterAll
  static void stopServer() throws Exception {
    raw.close();
    http.close();
  }

  @BeforeEach
  void newBucket() {
    bucket = "bucket-" + UUID.randomUUID().toString().substring(0, 8);
    http.createBucket(bucket);
  }

  private S3Location.Builder location(S3ProxyServer server) {
    return S3Location.builder(bucket)
        .endpoint(server.endpoint())
        .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
        .useHttps(server.isHttps());
  }

  private S3Store store(S3Location location) {
    return new S3Store(location, SMALL_PART);
  }

  @Test
  void abortsThePendingUploadsOfAPrefixAndNoOthers() {
    String orphan = "team/nightly-1-2026-12-01T00-00-00Z.tar.gz";
    String other = "team/nightly-2-2026-12-01T00-00-00Z.tar.gz";
    String outside = "nightly-1-2026-12-01T00-00-00Z.tar.gz";
    for (String key : new String[] {orphan, other, outside}) {
      http.startMultipartUpload(bucket, key);
    }
    try (S3Store store = store(location(http).folder("team").build())) {
      assertThat(store.abortInterruptedUploads("nightly-1-")).containsExactly(orphan);
    }
    assertThat(http.pendingMultipartUploads(bucket)).containsExactlyInAnyOrder(other, outside);
  }

  @Test
  void uploadsListsDownloadsAndDeletesOverPlainHttp() throws IOException {
    byte[] archive = "a small archive".getBytes(StandardCharsets.UTF_8);
    try (S3Store store = store(location(http).build())) {
      upload(store, "nightly.tar.gz", archive);

      assertThat(http.objectKeys(bucket)).containsExactly("nightly.tar.gz");
      assertThat(store.list())
          .singleElement()
          .satisfies(
              object -> {
                assertThat(object.name()).isEqualTo("nightly.tar.gz");
                assertThat(object.size()).isEqualTo(archive.length);
                assertThat(object.lastModified()).isNotNull();
              });
      assertThat(download(store, "nightly.tar.gz")).isEqualTo(archive);
      HeadObjectResponse head = raw.headObject(r -> r.bucket(bucket).key("nightly.tar.gz"));
      assertThat(head.contentType()).isEqualTo("application/gzip");
      assertThat(head.eTag()).as("single PutObject").doesNotContain("-");

      store.delete("nightly.tar.gz");
      assertThat(store.list()).isEmpty();
      assertThat(http.objectKeys(bucket)).isEmpty();
      assertThat(store.locationType()).isEqualTo("S3");
    }
  }

  @Test
  void keysLiveUnderTheTrimmedFolder() throws IOException {
    try (S3Store store = store(location(http).folder("/rancher/nightly/").build());
        S3Store other = store(location(http).folder("rancher/nightly2").build());
        S3Store root = store(location(http).build())) {
      upload(store, "a.tar.gz", bytes(10));
      upload(other, "b.tar.gz", bytes(10));
      upload(root, "c.tar.gz", bytes(10));
      raw.putObject(r -> r.bucket(bucket).key("rancher/nightly/sub/d.tar.gz"), body(bytes(3)));

      assertThat(http.objectKeys(bucket))
          .containsExactlyInAnyOrder(
              "rancher/nightly/a.tar.gz",
              "rancher/nightly2/b.tar.gz",
              "c.tar.gz",
              "rancher/nightly/sub/d.tar.gz");
      assertThat(store.list())
          .extracting(StoredObject::name)
          .containsExactlyInAnyOrder("a.tar.gz", "sub/d.tar.gz");
      assertThat(root.list()).extracting(StoredObject::name).containsExactly("c.tar.gz");
      assertThat(download(store, "sub/d.tar.gz")).hasSize(3);
      store.delete("sub/d.tar.gz");
      assertThat(http.objectKeys(bucket)).doesNotContain("rancher/nightly/sub/d.tar.gz");
    }
  }

  @Test
  void downloadNeedsAnExactKey() throws IOException {
    try (S3Store store = store(location(http).folder("backups").build())) {
      upload(store, "nightly.tar.gz.enc", bytes(5));

      assertThatThrownBy(() -> store.open("nightly.tar.gz"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
          .hasMessage(
              "failed to download s3 backup: no backup files found with prefix"
                  + " [backups/nightly.tar.gz] in bucket ["
                  + bucket
                  + "]");
    }
  }

  @Test
  void bigArchivesAreMultipartUploads() throws IOException {
    byte[] archive = bytes(SMALL_PART * 3 + 1234);
    try (S3Store store = store(location(http).folder("big").build())) {
      try (Upload upload = store.openUpload("big.tar.gz")) {
        // many small writes, as a gzip stream does
        for (int offset = 0; offset < archive.length; offset += 8192) {
          upload.stream().write(archive, offset, Math.min(8192, archive.length - offset));
        }
        assertThat(http.pendingMultipartUploads(bucket)).containsExactly("big/big.tar.gz");
        upload.commit();
      }

      HeadObjectResponse head = raw.headObject(r -> r.bucket(bucket).key("big/big.tar.gz"));
      assertThat(head.eTag()).as("multipart ETag").endsWith("-4\"");
      assertThat(head.contentType()).isEqualTo("application/gzip");
      assertThat(download(store, "big.tar.gz")).isEqualTo(archive);
      assertThat(http.pendingMultipartUploads(bucket)).isEmpty();
    }
  }

  @Test
  void anArchiveOfExactlyOnePartIsASinglePut() throws IOException {
    try (S3Store store = store(location(http).build())) {
      upload(store, "one.tar.gz", bytes(SMALL_PART));
      assertThat(raw.headObject(r -> r.bucket(bucket).key("one.tar.gz")).eTag())
          .doesNotContain("-");
    }
  }

  @Test
  void checksumsWhenRequiredStillUploadsMultipart() throws IOException {
    byte[] archive = bytes(SMALL_PART * 2 + 7);
    try (S3Store store = store(location(http).checksumsWhenRequired(true).build())) {
      upload(store, "legacy.tar.gz", archive);
      upload(store, "legacy-small.tar.gz", bytes(7));
      assertThat(download(store, "legacy.tar.gz")).isEqualTo(archive);
    }
  }

  @Test
  void abortLeavesNoObjectAndNoPendingUpload() throws IOException {
    try (S3Store store = store(location(http).build())) {
      Upload upload = store.openUpload("aborted.tar.gz");
      upload.stream().write(bytes(SMALL_PART * 2 + 1));
      assertThat(http.pendingMultipartUploads(bucket)).hasSize(1);

      upload.abort();

      assertThat(http.pendingMultipartUploads(bucket)).isEmpty();
      assertThat(http.objectKeys(bucket)).isEmpty();
      assertThat(store.list()).isEmpty();
      assertThatThrownBy(() -> upload.stream().write(1)).isInstanceOf(IOException.class);
      assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aFailingArchiveWriterLeavesNothing() {
    try (S3Store store = store(location(http).build())) {
      assertThatThrownBy(
              () -> {
                try (Upload upload = store.openUpload("broken.tar.gz")) {
                  OutputStream out = upload.stream();
                  out.write(bytes(SMALL_PART * 2 + 5));
                  throw new IOException("collector failed");
                }
              })
          .hasMessage("collector failed");

      assertThat(http.pendingMultipartUploads(bucket)).isEmpty();
      assertThat(http.objectKeys(bucket)).isEmpty();
    }
  }

  @Test
  void closingTheStreamNeitherCommitsNorAborts() throws IOException {
    try (S3Store store = store(location(http).build())) {
      try (Upload upload = store.openUpload("closed.tar.gz")) {
        try (OutputStream out = upload.stream()) {
          out.write(bytes(100));
        }
        assertThat(http.objectKeys(bucket)).isEmpty();
        upload.commit();
      }
      assertThat(http.objectKeys(bucket)).containsExactly("closed.tar.gz");
    }
  }

  @Test
  void serverStoppedMidUploadLeavesNoObject() throws Exception {
    try (S3Store store = store(location(http).build())) {
      Upload upload = store.openUpload("interrupted.tar.gz");
      upload.stream().write(bytes(SMALL_PART * 2 + 1)); // two parts sent
      http.stop();
      try {
        assertThatThrownBy(() -> upload.stream().write(bytes(SMALL_PART)))
            .isInstanceOfSatisfying(
                StorageException.class,
                e -> {
                  assertThat(e.isPermanent()).isFalse();
                  assertThat(e.getMessage())
                      .contains("failed to upload backup file [interrupted.tar.gz]")
                      .contains("cannot reach");
                });
      } finally {
        http.start();
      }
      assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);

      assertThat(http.objectKeys(bucket)).doesNotContain("interrupted.tar.gz");
      assertThat(http.pendingMultipartUploads(bucket))
          .as("the abort failed while the server was down")
          .containsExactly("interrupted.tar.gz");
      // the server came back: the store works again and cleans up what it left behind
      assertThat(store.list()).isEmpty();
      assertThat(http.pendingMultipartUploads(bucket)).isEmpty();
      upload(store, "after.tar.gz", bytes(10));
      assertThat(store.list()).extracting(StoredObject::name).containsExactly("after.tar.gz");
    }
  }

  @Test
  void missingBucketIsPermanentWithRancherMessage() {
    try (S3Store store = store(location(http).build())) {
      store.checkBucket(); // the test bucket exists
    }
    S3Location missing =
        S3Location.builder("no-such-bucket")
            .endpoint(http.endpoint())
            .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
            .useHttps(false)
            .build();
    try (S3Store store = store(missing)) {
      assertThatThrownBy(() -> store.openUpload("x.tar.gz"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
          .hasMessageContaining("s3 bucket [no-such-bucket] not found");
      assertThatThrownBy(store::list).hasMessageContaining("s3 bucket [no-such-bucket] not found");
    }
  }

  @Test
  void wrongCredentialsArePermanentAndNeverShowTheSecret() {
    String secret = "wrong-secret-key-value";
    S3Location wrong =
        location(http).credentials(new S3Credentials("AKIAWRONGKEY00000000", secret)).build();
    try (S3Store store = store(wrong)) {
      assertThatThrownBy(() -> store.openUpload("x.tar.gz"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
          .hasMessageContaining("access denied to s3 bucket [" + bucket + "]")
          .hasMessageContaining("access key [AKIAW[REDACTED]]")
          .hasMessageNotContaining(secret)
          .hasMessageNotContaining("AKIAWRONGKEY00000000");
    }
  }

  @Test
  void unreachableEndpointIsTransient() throws Exception {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    try (S3Store store = store(location(http).endpoint("127.0.0.1:" + freePort).build())) {
      assertThatThrownBy(store::list)
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.isPermanent()).isFalse())
          .hasMessageContaining("failed to check if s3 bucket [" + bucket + "] exists");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OverHttps {
    private S3ProxyServer https;

    @BeforeAll
    void startHttps(@TempDir Path work) throws Exception {
      https = S3ProxyServer.https(work);
    }

    @AfterAll
    void stopHttps() throws Exception {
      https.close();
    }

    @BeforeEach
    void bucketOnHttpsServer() {
      https.createBucket(bucket);
    }

    @Test
    void trustsABase64PemEndpointCa() throws IOException {
      String base64 =
          Base64.getEncoder().encodeToString(https.caPem().getBytes(StandardCharsets.US_ASCII));
      roundTrip(location(https).endpointCA(base64).build());
    }

    @Test
    void trustsAnEndpointCaFile(@TempDir Path dir) throws IOException {
      Path file = Files.writeString(dir.resolve("ca.pem"), https.caPem());
      roundTrip(location(https).endpointCA(file.toString()).build());
    }

    @Test
    void insecureSkipVerifyAcceptsAnUnknownCa() throws IOException {
      roundTrip(location(https).insecureTLSSkipVerify(true).build());
    }

    @Test
    void anUntrustedCertificateIsAPermanentTlsError() {
      try (S3Store store = store(location(https).build())) {
        assertThatThrownBy(store::list)
            .isInstanceOfSatisfying(
                StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
            .hasMessageContaining("TLS connection to s3 bucket [" + bucket + "]")
            .hasMessageContaining("endpointCA");
      }
    }

    @Test
    void httpsIsUsedUnlessDevMode() {
      // the HTTPS-only server does not answer plain HTTP
      try (S3Store store =
          store(location(https).useHttps(false).insecureTLSSkipVerify(true).build())) {
        assertThatThrownBy(store::list).isInstanceOf(StorageException.class);
      }
    }

    private void roundTrip(S3Location location) throws IOException {
      byte[] archive = bytes(SMALL_PART + 10);
      try (S3Store store = store(location)) {
        upload(store, "tls.tar.gz", archive);
        assertThat(download(store, "tls.tar.gz")).isEqualTo(archive);
        assertThat(store.list()).extracting(StoredObject::name).containsExactly("tls.tar.gz");
      }
    }
  }

  private static void upload(BackupStore store, String name, byte[] content) throws IOException {
    try (Upload upload = store.openUpload(name)) {
      upload.stream().write(content);
      upload.commit();
    }
  }

  private static byte[] download(BackupStore store, String name) throws IOException {
    try (InputStream in = store.open(name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static RequestBody body(byte[] bytes) {
    return RequestBody.fromBytes(bytes);
  }
}

package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.cli.etcd.EtcdRestoreCommand;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.etcd.SnapshotArchiveWriter;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.storage.Upload;
import dev.backuprestore.testing.S3ProxyServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcd-restore prepare} from a real S3 server over HTTPS with a private CA and static
 * credentials, as a node fetches a snapshot while the apiserver is down: download into the work
 * directory, check against the sidecar object, print the sha256.
 */
class EtcdRestoreFromS3IT {
  private static final String NAME = "2026-12-01T10:00:00Z_etcd";
  private static final String BUCKET = "etcd-snapshots";
  @TempDir static Path dir;
  private static S3ProxyServer s3;
  private static S3Store store;
  private static byte[] zipBytes;

  @BeforeAll
  static void uploadASnapshot() throws Exception {
    s3 = S3ProxyServer.https(Files.createDirectories(dir.resolve("s3")));
    s3.createBucket(BUCKET);
    store =
        new S3Store(
            S3Location.builder(BUCKET)
                .endpoint(s3.endpoint())
                .folder("cluster-a")
                .endpointCA(s3.caPem())
                .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
                .build());
    Path zip = dir.resolve(NAME + ".zip");
    try (OutputStream out = Files.newOutputStream(zip)) {
      SnapshotArchiveWriter writer = new SnapshotArchiveWriter(out, NAME);
      try (OutputStream db = writer.snapshotStream()) {
        db.write(SnapshotVerifierTest.snapshotBytes(64));
      }
      writer.finishSnapshot();
      writer.finish(SnapshotVerifierTestStates.oneMember(NAME));
    }
    zipBytes = Files.readAllBytes(zip);
    put(NAME + ".zip", zipBytes);
    put(
        NAME + ".zip.sha256",
        SnapshotDirectory.sidecarLine(NAME, SnapshotArchiveReader.fileSha256(zip))
            .getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static void put(String name, byte[] bytes) throws Exception {
    try (Upload upload = store.openUpload(name)) {
      upload.stream().write(bytes);
      upload.commit();
    }
  }

  private static String[] prepare(String snapshot, String... extra) throws Exception {
    Path ca = dir.resolve("s3-ca.pem");
    Files.writeString(ca, s3.caPem());
    Path secret = dir.resolve("secret-key");
    Files.writeString(secret, S3ProxyServer.SECRET_KEY + "\n");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "prepare",
                "--snapshot=" + snapshot,
                "--work-dir=" + dir.resolve("work"),
                "--s3-endpoint=" + s3.endpoint(),
                "--s3-endpoint-ca=" + ca,
                "--s3-access-key=" + S3ProxyServer.ACCESS_KEY,
                "--s3-secret-key-file=" + secret));
    args.addAll(Arrays.asList(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EtcdRestoreCommand.execute(
            args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void downloadsVerifiesAgainstTheSidecarObjectAndPrintsTheSha256() throws Exception {
    String sha256 = SnapshotArchiveReader.fileSha256(dir.resolve(NAME + ".zip"));

    String[] run = prepare("s3://" + BUCKET + "/cluster-a/" + NAME + ".zip");

    assertThat(run[0]).as(run[2]).isEqualTo("0");
    assertThat(run[1]).startsWith(sha256 + "  " + NAME + ".zip\n");
    assertThat(run[2]).contains("= sidecar " + NAME + ".zip.sha256 in s3 bucket [" + BUCKET + "]");
    assertThat(Files.readAllBytes(dir.resolve("work/" + NAME + ".zip"))).isEqualTo(zipBytes);
    assertThat(dir.resolve("work/" + NAME + ".db")).isRegularFile();
    try (var listing = Files.list(dir.resolve("work"))) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(NAME + ".zip", NAME + ".db");
    }
  }

  @Test
  void aFileNameInTheBucketFolderWorksAndAWrongExpectationIsRefused() throws Exception {
    String[] run =
        prepare(
            NAME + ".zip",
            "--s3-bucket=" + BUCKET,
            "--s3-folder=cluster-a",
            "--expect-sha256=" + "ab".repeat(32));

    assertThat(run[0]).isEqualTo("3");
    assertThat(run[2]).contains("REFUSED (verify)").contains("was recorded in --expect-sha256");
  }

  @Test
  void aMissingObjectIsRefusedByName() throws Exception {
    String[] run = prepare("s3://" + BUCKET + "/cluster-a/rke_etcd_snapshot_missing.zip");

    assertThat(run[0]).isEqualTo("3");
    assertThat(run[2]).contains("REFUSED (fetch)").contains("rke_etcd_snapshot_missing.zip");
  }
}

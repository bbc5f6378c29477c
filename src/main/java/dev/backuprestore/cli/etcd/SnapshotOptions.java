package dev.backuprestore.cli.etcd;

import dev.backuprestore.cli.S3EndpointOptions;
import dev.backuprestore.etcd.restore.EtcdRestorer;
import dev.backuprestore.etcd.restore.ExpectedChecksum;
import dev.backuprestore.etcd.restore.SnapshotSource;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.BucketLookup;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the snapshot zip comes from and what it must hash to; shared by {@code prepare} and {@code
 * run}. The S3 options are those of a Backup's {@code storageLocation.s3} (endpoint, bucket,
 * folder, region, endpoint CA, skip-verify, bucket lookup) with the credentials given directly,
 * since the cluster's Secrets are out of reach while etcd is down.
 */
final class SnapshotOptions {
  @Spec(Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--snapshot",
      paramLabel = "ZIP",
      description =
          "The snapshot zip: a local path (or file:// URL), s3://<bucket>/<folder>/<name>.zip, or a"
              + " file name in the bucket given by --s3-bucket/--s3-folder.")
  String snapshot;

  @Option(
      names = "--snapshot-file",
      paramLabel = "NAME",
      description =
          "Instead of --snapshot: the EtcdSnapshotFile resource whose location and recorded sha256"
              + " to use (needs the apiserver, so before etcd is stopped: use it with prepare).")
  String snapshotFile;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig for --snapshot-file; default: $KUBECONFIG, ~/.kube/config or in-cluster.")
  Path kubeconfig;

  /** The recorded sha256 of --snapshot-file, once looked up. */
  private String snapshotFileSha256;

  @Option(
      names = "--work-dir",
      defaultValue = "/opt/rke/etcd-snapshots-restore",
      paramLabel = "DIR",
      description =
          "Where downloads and the extracted etcd snapshot go (default: ${DEFAULT-VALUE}, as RKE).")
  Path workDir;

  @Option(
      names = "--expect-sha256",
      paramLabel = "HEX",
      description =
          "The sha256 the zip must have (from the EtcdSnapshotFile status or the node that saved"
              + " it); also checked: the .zip.sha256 sidecar next to the zip.")
  String expectSha256;

  @Option(
      names = "--allow-unrecorded-checksum",
      description =
          "Go on when no sha256 was recorded for the zip (e.g. a zip written by RKE); the entry"
              + " names and the etcd sha256 trailer are still verified.")
  boolean allowUnrecordedChecksum;

  @Mixin S3EndpointOptions s3;

  @Option(
      names = "--s3-access-key",
      paramLabel = "KEY",
      description = "Access key; default: $AWS_ACCESS_KEY_ID, else the SDK's default chain.")
  String s3AccessKey;

  @Option(
      names = "--s3-secret-key-file",
      paramLabel = "FILE",
      description = "File holding the secret key; default: $AWS_SECRET_ACCESS_KEY.")
  Path s3SecretKeyFile;

  /** The source; a store it opens is added to {@code opened} for the caller to close. */
  SnapshotSource source(List<BackupStore> opened) {
    if ((snapshot == null) == (snapshotFile == null)) {
      throw usage("give exactly one of --snapshot and --snapshot-file");
    }
    if (snapshotFile != null) {
      SnapshotFileLookup.Found found;
      try {
        found = SnapshotFileLookup.lookup(snapshotFile, kubeconfig);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      snapshot = found.location();
      snapshotFileSha256 = found.sha256();
      s3.defaultEndpointAndRegion(found.s3Endpoint(), found.s3Region());
    }
    if (snapshot.startsWith("s3://")) {
      URI uri = URI.create(snapshot);
      String key = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
      int slash = key.lastIndexOf('/');
      String folder = slash < 0 ? "" : key.substring(0, slash);
      String file = key.substring(slash + 1);
      if (uri.getHost() == null || file.isEmpty()) {
        throw usage("--snapshot " + snapshot + " is not s3://<bucket>/<folder>/<name>.zip");
      }
      return stored(uri.getHost(), folder, file, opened);
    }
    if (s3.hasBucket()) {
      if (snapshot.contains("/")) {
        throw usage(
            "with --s3-bucket, --snapshot is a file name in the bucket folder, got " + snapshot);
      }
      return stored(s3.bucket(), s3.folder() == null ? "" : s3.folder(), snapshot, opened);
    }
    Path local = snapshot.startsWith("file:") ? Path.of(URI.create(snapshot)) : Path.of(snapshot);
    return new SnapshotSource.LocalFile(local);
  }

  private SnapshotSource stored(
      String bucket, String folder, String file, List<BackupStore> opened) {
    S3Location location =
        S3Location.builder(bucket)
            .endpoint(s3.endpoint())
            .region(s3.region())
            .folder(folder)
            .endpointCA(s3.endpointCa())
            .insecureTLSSkipVerify(s3.insecureTlsSkipVerify())
            .bucketLookup(BucketLookup.parse(s3.bucketLookup()))
            .credentials(credentials())
            .useHttps(!s3.plainHttp())
            .build();
    S3Store store = new S3Store(location);
    opened.add(store);
    return new SnapshotSource.Stored(store, file);
  }

  private S3Credentials credentials() {
    String accessKey = s3AccessKey != null ? s3AccessKey : System.getenv("AWS_ACCESS_KEY_ID");
    String secretKey;
    if (s3SecretKeyFile != null) {
      try {
        secretKey = Files.readString(s3SecretKeyFile, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw usage("cannot read --s3-secret-key-file " + s3SecretKeyFile + ": " + e.getMessage());
      }
    } else {
      secretKey = System.getenv("AWS_SECRET_ACCESS_KEY");
    }
    if (accessKey == null || accessKey.isEmpty()) {
      if (secretKey != null && !secretKey.isEmpty()) {
        throw usage("a secret key was given without an access key (--s3-access-key)");
      }
      return null;
    }
    if (secretKey == null || secretKey.isEmpty()) {
      throw usage(
          "--s3-access-key needs a secret key (--s3-secret-key-file or $AWS_SECRET_ACCESS_KEY)");
    }
    return new S3Credentials(accessKey, secretKey);
  }

  List<ExpectedChecksum> expected() {
    List<ExpectedChecksum> expected = new ArrayList<>();
    if (snapshotFileSha256 != null) {
      expected.add(
          new ExpectedChecksum(
              snapshotFileSha256, "EtcdSnapshotFile " + snapshotFile + " status.sha256"));
    }
    if (expectSha256 != null && !expectSha256.isBlank()) {
      try {
        expected.add(new ExpectedChecksum(expectSha256, "--expect-sha256"));
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    return expected;
  }

  EtcdRestorer.Verification verification(List<BackupStore> opened) {
    SnapshotSource source = source(opened);
    return new EtcdRestorer.Verification(
        source, workDir.toAbsolutePath().normalize(), expected(), allowUnrecordedChecksum);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}

package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdRestore;
import dev.backuprestore.api.etcd.v1alpha1.EtcdRestoreSpec;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFile;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.etcd.agent.EtcdPreset;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.kube.ValidationException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps an EtcdRestore's spec onto what every node's {@code etcd-restore prepare} needs: the
 * command-line options that name the zip (resolved here from the EtcdSnapshotFile, since the Jobs
 * have no API token), the recorded sha256, the S3 credential Secret and the etcd nodes.
 */
final class PrepareSnapshotResolver {
  private final KubernetesClient client;
  private final String operatorNamespace;
  private final boolean devMode;
  private final String defaultDistribution;

  /**
   * The resolved snapshot.
   *
   * @param args the prepare options (--snapshot, S3 options, --expect-sha256, ...)
   * @param location the zip as the nodes fetch it, for the status
   * @param expectedSha256 the recorded sha256 the operator knows, or null (then the sidecar)
   * @param localDir the host directory holding a local zip, or null for S3
   * @param credentialSecret the S3 credential Secret in the operator namespace, or null
   * @param nodes the etcd nodes, sorted
   */
  record Plan(
      List<String> args,
      String location,
      String expectedSha256,
      String localDir,
      String credentialSecret,
      List<String> nodes) {}

  PrepareSnapshotResolver(
      KubernetesClient client,
      String operatorNamespace,
      boolean devMode,
      String defaultDistribution) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
    this.devMode = devMode;
    this.defaultDistribution = defaultDistribution;
  }

  Plan resolve(EtcdRestore restore) {
    EtcdRestoreSpec spec = restore.getSpec();
    boolean byFile = notBlank(spec.getSnapshotFile());
    if (byFile == notBlank(spec.getFileName())) {
      throw new ValidationException("give exactly one of spec.snapshotFile and spec.fileName");
    }
    List<String> args = new ArrayList<>();
    String expected = notBlank(spec.getExpectedSha256()) ? spec.getExpectedSha256() : null;
    EtcdSnapshot owner = null;
    S3ObjectStore s3 = spec.getStorageLocation() == null ? null : spec.getStorageLocation().getS3();
    String location;
    String localDir = null;
    String localNode = null;
    if (byFile) {
      EtcdSnapshotFile file =
          client.resources(EtcdSnapshotFile.class).withName(spec.getSnapshotFile()).get();
      if (file == null) {
        // may appear once the inventory is rebuilt: retried, not stalled
        throw new OperatorException(
            "EtcdSnapshotFile " + spec.getSnapshotFile() + " not found", false);
      }
      owner = owningSnapshot(file);
      if (s3 == null && owner != null && owner.getSpec().getStorageLocation() != null) {
        s3 = owner.getSpec().getStorageLocation().getS3();
      }
      location = file.getSpec() == null ? null : file.getSpec().getLocation();
      if (location == null || location.isBlank()) {
        throw new ValidationException(
            "EtcdSnapshotFile " + spec.getSnapshotFile() + " has no spec.location");
      }
      if (expected == null && file.getStatus() != null && notBlank(file.getStatus().getSha256())) {
        expected = file.getStatus().getSha256();
      }
      args.add("--snapshot=" + location);
      if (location.startsWith("s3://")) {
        var fileS3 = file.getSpec().getS3();
        add(args, "--s3-endpoint=", fileS3 == null ? null : fileS3.getEndpoint());
        add(args, "--s3-region=", fileS3 == null ? null : fileS3.getRegion());
        s3Transport(args, s3);
      } else {
        localDir = localDirectory(location);
        localNode = file.getSpec().getNodeName();
      }
    } else if (s3 != null) {
      if (!notBlank(s3.getBucketName())) {
        throw new ValidationException("spec.storageLocation.s3.bucketName is empty");
      }
      if (spec.getFileName().contains("/")) {
        throw new ValidationException(
            "spec.fileName is a file name in the bucket folder, got " + spec.getFileName());
      }
      args.add("--snapshot=" + spec.getFileName());
      args.add("--s3-bucket=" + s3.getBucketName());
      add(args, "--s3-folder=", s3.getFolder());
      add(args, "--s3-endpoint=", s3.getEndpoint());
      add(args, "--s3-region=", s3.getRegion());
      s3Transport(args, s3);
      String folder = notBlank(s3.getFolder()) ? s3.getFolder().replaceAll("^/+|/+$", "") : "";
      location =
          "s3://"
              + s3.getBucketName()
              + "/"
              + (folder.isEmpty() ? "" : folder + "/")
              + spec.getFileName();
    } else {
      if (!spec.getFileName().startsWith("/")) {
        throw new ValidationException(
            "spec.fileName without spec.storageLocation is an absolute path on the nodes, got "
                + spec.getFileName());
      }
      location = "file://" + spec.getFileName();
      args.add("--snapshot=" + spec.getFileName());
      localDir = localDirectory(location);
    }
    if (expected != null) {
      args.add("--expect-sha256=" + expected);
    }
    if (Boolean.TRUE.equals(spec.getAllowUnrecordedChecksum())) {
      args.add("--allow-unrecorded-checksum");
    }
    List<String> nodes = nodes(spec, owner);
    if (localNode != null && !nodes.equals(List.of(localNode))) {
      throw new ValidationException(
          "EtcdSnapshotFile "
              + spec.getSnapshotFile()
              + " is a local copy on node "
              + localNode
              + " only, and every node must verify the same bytes: use the snapshot's S3 copy,"
              + " or spec.fileName with the zip copied to every node");
    }
    return new Plan(
        List.copyOf(args),
        location,
        expected,
        localDir,
        localDir != null
            ? null
            : notBlank(spec.getCredentialSecretName())
                ? spec.getCredentialSecretName()
                : credentialSecret(s3),
        nodes);
  }

  private void s3Transport(List<String> args, S3ObjectStore s3) {
    if (s3 != null) {
      add(args, "--s3-endpoint-ca=", s3.getEndpointCA());
      if (s3.isInsecureTLSSkipVerifyEffective()) {
        args.add("--s3-insecure-skip-tls-verify");
      }
      if (s3.getClientConfig() != null) {
        add(args, "--s3-bucket-lookup=", s3.getClientConfig().getBucketLookup());
      }
    }
    if (devMode) {
      args.add("--s3-plain-http"); // as the snapshot side's useHttps(!devMode)
    }
  }

  /** The Jobs have no API token: the Secret is passed by reference, so it must be local. */
  private String credentialSecret(S3ObjectStore s3) {
    if (s3 == null || !notBlank(s3.getCredentialSecretName())) {
      return null;
    }
    String ns = s3.getCredentialSecretNamespace();
    if (notBlank(ns) && !ns.equals(operatorNamespace)) {
      throw new ValidationException(
          "the prepare Jobs run in "
              + operatorNamespace
              + " without an API token, so the S3 credential Secret must be in "
              + operatorNamespace
              + ", not "
              + ns);
    }
    return s3.getCredentialSecretName();
  }

  private List<String> nodes(EtcdRestoreSpec spec, EtcdSnapshot owner) {
    if (spec.getNodes() != null && !spec.getNodes().isEmpty()) {
      return spec.getNodes().stream().distinct().sorted().toList();
    }
    Map<String, String> selector = spec.getNodeSelector();
    if ((selector == null || selector.isEmpty()) && owner != null) {
      selector = owner.getSpec().getNodeSelector();
    }
    if (selector == null || selector.isEmpty()) {
      String distribution = spec.getDistribution();
      if (!notBlank(distribution) && owner != null && owner.getSpec().getEtcd() != null) {
        distribution = owner.getSpec().getEtcd().getDistribution();
      }
      try {
        selector =
            EtcdPreset.parse(notBlank(distribution) ? distribution : defaultDistribution)
                .nodeSelector();
      } catch (IllegalArgumentException e) {
        throw new ValidationException("spec.distribution: " + e.getMessage());
      }
    }
    return client.nodes().withLabels(selector).list().getItems().stream()
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  private EtcdSnapshot owningSnapshot(EtcdSnapshotFile file) {
    Map<String, String> labels = file.getMetadata().getLabels();
    String name = labels == null ? null : labels.get(EtcdSnapshotFile.SNAPSHOT_LABEL);
    return name == null ? null : client.resources(EtcdSnapshot.class).withName(name).get();
  }

  private static String localDirectory(String location) {
    Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    if (!path.isAbsolute() || path.getParent() == null) {
      throw new ValidationException("snapshot location " + location + " is not an absolute path");
    }
    return path.getParent().toString();
  }

  private static void add(List<String> args, String option, String value) {
    if (notBlank(value)) {
      args.add(option + value);
    }
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }
}

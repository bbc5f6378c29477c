package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFile;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFileEtcd;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFileS3;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFileSpec;
import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshotFileStatus;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotNames;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.StoredObject;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory: one {@link EtcdSnapshotFile} per stored copy. Written after each run and rebuilt
 * from what is in storage, because an etcd restore rolls these objects back to snapshot time while
 * the files themselves stay: a missing S3 object's record is dropped, a listed object without a
 * record gets one.
 */
final class EtcdSnapshotFiles {
  static final String S3_NODE = "s3";
  private static final Logger LOG = LoggerFactory.getLogger(EtcdSnapshotFiles.class);
  private final KubernetesClient client;

  EtcdSnapshotFiles(KubernetesClient client) {
    this.client = client;
  }

  /** K3s's naming: {@code <local|s3>-<name>-<6 hex of sha256(node + location)>}. */
  static String objectName(String nodeName, String snapshotName, String location) {
    String prefix = S3_NODE.equals(nodeName) ? "s3" : "local";
    String base = snapshotName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    base = base.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
    if (base.length() > 200) {
      base = base.substring(0, 200);
    }
    return prefix + "-" + base + "-" + sha256(nodeName + location).substring(0, 6);
  }

  static String s3Url(S3Location location, String fileName) {
    return "s3://" + location.bucketName() + "/" + key(location.folder(), fileName);
  }

  /** The object key of {@code fileName} under the folder (an informational URL only). */
  private static String key(String folder, String fileName) {
    String trimmed = folder == null ? "" : folder.replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? fileName : trimmed + "/" + fileName;
  }

  static String fileUrl(String path) {
    return Path.of(path).toUri().toString();
  }

  /** Records the S3 copy of a successful run. */
  void recordS3(EtcdSnapshot owner, SnapshotOutcome outcome, S3Location location) {
    String location0 = s3Url(location, outcome.s3FileName());
    EtcdSnapshotFile file = base(owner, outcome.name(), S3_NODE, location0);
    file.getSpec().setS3(s3(location));
    write(file, status(outcome));
  }

  /** Records a node's local copy of a successful run. */
  void recordNode(EtcdSnapshot owner, SnapshotOutcome outcome) {
    EtcdSnapshotFile file =
        base(owner, outcome.name(), outcome.nodeName(), fileUrl(outcome.localPath()));
    write(file, status(outcome));
  }

  /** Drops the records of copies retention deleted. */
  void deleted(
      String nodeName, List<String> names, java.util.function.Function<String, String> url) {
    for (String name : names) {
      String objectName = objectName(nodeName, name, url.apply(name));
      client.resources(EtcdSnapshotFile.class).withName(objectName).delete();
    }
  }

  /**
   * Rebuilds the S3 part of the inventory of {@code owner}'s location: a record for every snapshot
   * zip in the folder, none for a zip that is gone.
   */
  void rebuildS3(EtcdSnapshot owner, BackupStore store, S3Location location) {
    Set<String> present = new HashSet<>();
    for (StoredObject object : store.list()) {
      String fileName = object.name();
      if (!fileName.endsWith(SnapshotNames.ZIP_SUFFIX) || fileName.contains("/")) {
        continue;
      }
      Optional<SnapshotNames.ParsedName> parsed = SnapshotNames.parse(fileName);
      if (parsed.isEmpty()) {
        continue;
      }
      String url = s3Url(location, fileName);
      String objectName = objectName(S3_NODE, parsed.get().name(), url);
      present.add(objectName);
      if (client.resources(EtcdSnapshotFile.class).withName(objectName).get() != null) {
        continue;
      }
      EtcdSnapshotFile file = base(owner, parsed.get().name(), S3_NODE, url);
      file.getSpec().setS3(s3(location));
      EtcdSnapshotFileStatus status = new EtcdSnapshotFileStatus();
      status.setReadyToUse(true);
      status.setSize(object.size());
      status.setCreationTime(
          DateTimeFormatter.ISO_INSTANT.format(parsed.get().time().orElse(object.lastModified())));
      status.setSha256(sidecar(store, parsed.get().name()));
      write(file, status);
      LOG.info("EtcdSnapshotFile {} rebuilt from {}", objectName, url);
    }
    String prefix = "s3://" + location.bucketName() + "/" + key(location.folder(), "");
    for (EtcdSnapshotFile file :
        client
            .resources(EtcdSnapshotFile.class)
            .withLabel(EtcdSnapshotFile.STORAGE_NODE_LABEL, S3_NODE)
            .list()
            .getItems()) {
      String location0 = file.getSpec() == null ? null : file.getSpec().getLocation();
      if (location0 != null
          && location0.startsWith(prefix)
          && !location0.substring(prefix.length()).contains("/")
          && !present.contains(file.getMetadata().getName())) {
        client.resources(EtcdSnapshotFile.class).withName(file.getMetadata().getName()).delete();
        LOG.info(
            "EtcdSnapshotFile {} dropped: {} is gone", file.getMetadata().getName(), location0);
      }
    }
  }

  private static String sidecar(BackupStore store, String name) {
    try (InputStream in = store.open(SnapshotNames.sidecarName(name))) {
      return SnapshotDirectory.parseSidecar(
              new String(in.readNBytes(200), StandardCharsets.UTF_8), name)
          .orElse(null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static EtcdSnapshotFileS3 s3(S3Location location) {
    EtcdSnapshotFileS3 s3 = new EtcdSnapshotFileS3();
    s3.setBucket(location.bucketName());
    s3.setEndpoint(location.endpoint().isEmpty() ? null : location.endpoint());
    s3.setRegion(location.region().isEmpty() ? null : location.region());
    s3.setFolder(
        location.folder() == null || location.folder().isEmpty() ? null : location.folder());
    return s3;
  }

  private static EtcdSnapshotFile base(
      EtcdSnapshot owner, String snapshotName, String nodeName, String location) {
    EtcdSnapshotFile file = new EtcdSnapshotFile();
    ObjectMeta meta =
        new ObjectMetaBuilder()
            .withName(objectName(nodeName, snapshotName, location))
            .addToLabels(EtcdSnapshotFile.STORAGE_NODE_LABEL, labelSafe(nodeName))
            .addToLabels(EtcdSnapshotFile.SNAPSHOT_LABEL, labelSafe(owner.getMetadata().getName()))
            .build();
    file.setMetadata(meta);
    EtcdSnapshotFileSpec spec = new EtcdSnapshotFileSpec();
    spec.setSnapshotName(snapshotName);
    spec.setNodeName(nodeName);
    spec.setLocation(location);
    spec.setSnapshotRef(owner.getMetadata().getName());
    file.setSpec(spec);
    return file;
  }

  private static EtcdSnapshotFileStatus status(SnapshotOutcome outcome) {
    EtcdSnapshotFileStatus status = new EtcdSnapshotFileStatus();
    status.setReadyToUse(true);
    status.setSize(outcome.size());
    status.setCreationTime(outcome.createdAt());
    status.setSha256(outcome.sha256());
    status.setDbSha256(outcome.dbSha256());
    EtcdSnapshotFileEtcd etcd = new EtcdSnapshotFileEtcd();
    etcd.setClusterID(outcome.clusterId());
    etcd.setMember(outcome.member());
    etcd.setMemberID(outcome.memberId());
    etcd.setVersion(outcome.etcdVersion());
    etcd.setStorageVersion(outcome.storageVersion());
    etcd.setRevision(outcome.revision());
    etcd.setCompactRevision(outcome.compactRevision());
    etcd.setHashKV(outcome.hashKV());
    etcd.setDbSize(outcome.dbSize());
    status.setEtcd(etcd);
    return status;
  }

  private void write(EtcdSnapshotFile file, EtcdSnapshotFileStatus status) {
    var resource = client.resources(EtcdSnapshotFile.class).withName(file.getMetadata().getName());
    EtcdSnapshotFile existing = resource.get();
    if (existing == null) {
      try {
        client.resources(EtcdSnapshotFile.class).resource(file).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    EtcdSnapshotFile patch = new EtcdSnapshotFile();
    patch.setMetadata(new ObjectMetaBuilder().withName(file.getMetadata().getName()).build());
    patch.setStatus(status);
    client.resources(EtcdSnapshotFile.class).resource(patch).patchStatus();
  }

  static String labelSafe(String value) {
    String safe = value.replaceAll("[^A-Za-z0-9._-]", "-");
    if (safe.length() > 63) {
      safe = safe.substring(0, 56) + "-" + sha256(value).substring(0, 6);
    }
    return safe.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

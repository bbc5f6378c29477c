package dev.backuprestore.etcd;

import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.etcd.client.EtcdMaintenance;
import dev.backuprestore.etcd.client.EtcdMember;
import dev.backuprestore.etcd.client.EtcdStatus;
import dev.backuprestore.storage.BackupStore;
import dev.backuprestore.storage.ObjectAttributes;
import dev.backuprestore.storage.StoredObject;
import dev.backuprestore.storage.Upload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes one member's snapshot after a healthy {@link HealthReport}: streams it into a zip in the
 * directory (never into memory), verifies the trailer, adds the state file and manifest, commits
 * the zip atomically with its sidecar, uploads it when asked (object metadata {@code sha256}, then
 * the sidecar object; an upload becomes visible only when complete) and applies retention to each
 * location on its own.
 */
public final class MemberSnapshotter {
  private final EtcdConnector connector;
  private final Clock clock;
  private final String operatorVersion;
  private final boolean compress;

  public MemberSnapshotter(EtcdConnector connector, Clock clock, String operatorVersion) {
    this(connector, clock, operatorVersion, true);
  }

  /**
   * @param compress Deflate the etcd snapshot inside the zip (see {@link SnapshotArchiveWriter})
   */
  public MemberSnapshotter(
      EtcdConnector connector, Clock clock, String operatorVersion, boolean compress) {
    this.connector = connector;
    this.clock = clock;
    this.operatorVersion = operatorVersion;
    this.compress = compress;
  }

  /**
   * @throws EtcdException (or a subclass) when a step fails; nothing is left half-written
   */
  public SnapshotOutcome snapshot(SnapshotRequest request, HealthReport health) throws IOException {
    if (!health.healthy()) {
      throw new EtcdException("not snapshotting an unhealthy cluster: " + health.summary(), false);
    }
    Instant createdAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    long started = System.nanoTime();
    EtcdStatus status;
    SnapshotTrailer.Verified db;
    SnapshotDirectory.LocalSnapshot local;
    EtcdMember self;
    String storageVersion;
    try (EtcdMaintenance etcd = connector.connect(request.endpoint())) {
      status = etcd.status();
      self =
          health.members().stream()
              .filter(m -> m.id() == status.memberId())
              .findFirst()
              .orElseThrow(
                  () ->
                      new EtcdException(
                          "member at "
                              + request.endpoint()
                              + " ("
                              + Long.toHexString(status.memberId())
                              + ") is not in the checked member list",
                          false));
      try (SnapshotDirectory.PendingZip pending = request.directory().create(request.name())) {
        SnapshotArchiveWriter writer =
            new SnapshotArchiveWriter(pending.stream(), request.name(), compress);
        EtcdMaintenance.SnapshotStreamed streamed;
        try (OutputStream out = writer.snapshotStream()) {
          streamed = etcd.snapshot(out);
        }
        db = writer.finishSnapshot();
        storageVersion =
            streamed.storageVersion().isEmpty()
                ? status.storageVersion()
                : streamed.storageVersion();
        writer.finish(state(request, health, status, self, storageVersion, db, createdAt));
        local = pending.commit();
      }
    }
    double localSeconds = (System.nanoTime() - started) / 1e9;

    String s3FileName = null;
    double s3Seconds = 0;
    List<String> deletedS3 = new ArrayList<>();
    if (request.upload() != null) {
      long uploadStarted = System.nanoTime();
      s3FileName = upload(request, local, status, self);
      s3Seconds = (System.nanoTime() - uploadStarted) / 1e9;
      deletedS3.addAll(retainInStore(request.upload(), request.s3Retention()));
    }
    List<String> deletedLocal = new ArrayList<>();
    if (!request.keepLocalCopy()) {
      request.directory().delete(request.name());
    } else if (request.localRetention() > 0) {
      List<String> names = new ArrayList<>();
      request.directory().list().forEach(s -> names.add(s.name()));
      for (String old : SnapshotRetention.toDelete(names, request.localRetention())) {
        request.directory().delete(old);
        deletedLocal.add(old);
      }
    }
    return new SnapshotOutcome(
        request.name(),
        request.nodeName(),
        self.displayName(),
        self.hexId(),
        request.keepLocalCopy() ? local.path().toString() : null,
        local.size(),
        local.sha256().orElseThrow(),
        s3FileName,
        DateTimeFormatter.ISO_INSTANT.format(createdAt),
        Long.toHexString(status.clusterId()),
        status.version(),
        storageVersion,
        health.revision(),
        health.compactRevision(),
        health.hashKV(),
        db.size(),
        db.trailerSha256(),
        Math.round(localSeconds * 1000) / 1000.0,
        Math.round(s3Seconds * 1000) / 1000.0,
        cap(deletedLocal),
        cap(deletedS3),
        health.warnings(),
        null,
        null);
  }

  private ClusterState state(
      SnapshotRequest request,
      HealthReport health,
      EtcdStatus status,
      EtcdMember self,
      String storageVersion,
      SnapshotTrailer.Verified db,
      Instant createdAt) {
    List<ClusterState.Member> members = new ArrayList<>();
    for (EtcdMember m : health.members()) {
      members.add(
          new ClusterState.Member(
              m.name(),
              m.hexId(),
              m.peerURLs(),
              m.clientURLs(),
              m.id() == self.id() && !request.nodeName().isEmpty() ? request.nodeName() : null,
              m.learner()));
    }
    return new ClusterState(
        ClusterState.FORMAT_VERSION,
        request.name(),
        DateTimeFormatter.ISO_INSTANT.format(createdAt),
        operatorVersion,
        new ClusterState.Etcd(
            Long.toHexString(status.clusterId()),
            status.version(),
            storageVersion,
            new ClusterState.Member(self.name(), self.hexId(), self.peerURLs(), null, null, null),
            members,
            health.revision(),
            health.compactRevision(),
            health.hashKV(),
            db.size(),
            db.trailerSha256()),
        request.kubernetes(),
        request.extraMetadata());
  }

  private String upload(
      SnapshotRequest request,
      SnapshotDirectory.LocalSnapshot local,
      EtcdStatus status,
      EtcdMember self)
      throws IOException {
    BackupStore store = request.upload();
    String zipName = SnapshotNames.zipName(request.name());
    String sha256 = local.sha256().orElseThrow();
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("sha256", sha256);
    metadata.put("etcd-cluster-id", Long.toHexString(status.clusterId()));
    metadata.put("etcd-member", self.displayName());
    if (!request.nodeName().isEmpty()) {
      metadata.put("node-name", request.nodeName());
    }
    try (Upload upload =
        store.openUpload(zipName, new ObjectAttributes("application/zip", metadata))) {
      Files.copy(local.path(), upload.stream());
      upload.commit();
    }
    try (Upload upload =
        store.openUpload(
            SnapshotNames.sidecarName(request.name()),
            new ObjectAttributes("text/plain", Map.of("sha256-of", zipName)))) {
      upload.stream()
          .write(
              SnapshotDirectory.sidecarLine(request.name(), sha256)
                  .getBytes(StandardCharsets.UTF_8));
      upload.commit();
    }
    return zipName;
  }

  /** S3 retention: this store's folder, recurring names only, zips and their sidecars. */
  static List<String> retainInStore(BackupStore store, int keep) {
    if (keep <= 0) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (StoredObject object : store.list()) {
      if (object.name().endsWith(SnapshotNames.ZIP_SUFFIX) && !object.name().contains("/")) {
        names.add(object.name());
      }
    }
    List<String> deleted = SnapshotRetention.toDelete(names, keep);
    for (String name : deleted) {
      store.delete(SnapshotNames.zipName(name));
      store.delete(SnapshotNames.sidecarName(name));
    }
    return deleted;
  }

  private static List<String> cap(List<String> names) {
    return names.size() <= 10 ? names : names.subList(names.size() - 10, names.size());
  }
}

package dev.backuprestore.etcd.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.SnapshotArchiveReader;
import dev.backuprestore.etcd.SnapshotArchiveWriter;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.testing.etcd.EtcdTestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A snapshot zip in the project's format, taken with etcd's own {@code etcdctl snapshot save} from
 * one member of an {@link EtcdTestCluster}, with a state file filled from {@code etcdctl member
 * list}, {@code endpoint status} and {@code endpoint hashkv}: an independent producer for the
 * restore tests (the cluster must not be written to meanwhile).
 */
final class EtcdctlSnapshot {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EtcdctlSnapshot() {}

  /** The zip and its sidecar in {@code dir}; returns the zip. */
  static Path take(EtcdTestCluster etcd, int member, String name, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path db = dir.resolve(name + ".etcdctl.db");
    etcdctl(etcd, member, "snapshot", "save", db.toString());
    JsonNode status =
        JSON.readTree(etcdctl(etcd, member, "endpoint", "status", "-w", "json")).get(0);
    long revision = status.path("Status").path("header").path("revision").asLong();
    JsonNode hash =
        JSON.readTree(
                etcdctl(
                    etcd,
                    member,
                    "endpoint",
                    "hashkv",
                    "--rev",
                    Long.toString(revision),
                    "-w",
                    "json"))
            .get(0)
            .path("HashKV");
    JsonNode list = JSON.readTree(etcdctl(etcd, member, "member", "list", "-w", "json"));
    List<ClusterState.Member> members = new ArrayList<>();
    ClusterState.Member source = null;
    long sourceId = status.path("Status").path("header").path("member_id").asLong();
    for (JsonNode m : list.path("members")) {
      ClusterState.Member recorded =
          new ClusterState.Member(
              m.path("name").asText(),
              Long.toHexString(m.path("ID").asLong()),
              strings(m.path("peerURLs")),
              strings(m.path("clientURLs")),
              null,
              m.path("isLearner").asBoolean(false));
      members.add(recorded);
      if (m.path("ID").asLong() == sourceId) {
        source = recorded;
      }
    }
    Path zip = dir.resolve(name + ".zip");
    String trailer;
    try (OutputStream out = Files.newOutputStream(zip)) {
      SnapshotArchiveWriter writer = new SnapshotArchiveWriter(out, name);
      try (OutputStream entry = writer.snapshotStream();
          InputStream in = Files.newInputStream(db)) {
        in.transferTo(entry);
      }
      trailer = writer.finishSnapshot().trailerSha256();
      writer.finish(
          new ClusterState(
              ClusterState.FORMAT_VERSION,
              name,
              "2026-12-01T00:00:00Z",
              "test",
              new ClusterState.Etcd(
                  Long.toHexString(
                      status.path("Status").path("header").path("cluster_id").asLong()),
                  status.path("Status").path("version").asText(),
                  status.path("Status").path("storageVersion").asText(),
                  source,
                  members,
                  revision,
                  hash.path("compact_revision").asLong(-1),
                  hash.path("hash").asLong() & 0xffffffffL,
                  Files.size(db),
                  trailer),
              null,
              Map.of()));
    }
    Files.delete(db);
    Files.writeString(
        dir.resolve(name + ".zip.sha256"),
        SnapshotDirectory.sidecarLine(name, SnapshotArchiveReader.fileSha256(zip)));
    return zip;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  static String etcdctl(EtcdTestCluster etcd, int member, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(etcd.binaries().etcdctl().toString());
    command.add("--endpoints=" + etcd.member(member).clientUrl());
    command.add("--cacert=" + etcd.caFile());
    command.add("--cert=" + etcd.clientCertFile());
    command.add("--key=" + etcd.clientKeyFile());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] stdout = process.getInputStream().readAllBytes();
    byte[] stderr = process.getErrorStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(
          "etcdctl "
              + String.join(" ", args)
              + " failed: "
              + new String(stderr, StandardCharsets.UTF_8));
    }
    return new String(stdout, StandardCharsets.UTF_8);
  }
}

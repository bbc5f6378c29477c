package dev.backuprestore.etcd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * What one member's snapshot run produced, as the node agent reports it (JSON in the Job's
 * termination message, at most 4 KiB, hence the short lists) and the operator records it.
 *
 * @param name the snapshot name
 * @param nodeName the node the agent ran on (empty in operator-side mode)
 * @param member the member name
 * @param memberId hex member ID
 * @param localPath the zip on the node, empty when no local copy is kept
 * @param size zip size in bytes
 * @param sha256 zip sha256
 * @param s3FileName the uploaded file name (relative to the folder), empty when not uploaded
 * @param createdAt RFC 3339 UTC
 * @param clusterId hex
 * @param etcdVersion server version
 * @param storageVersion snapshot storage version
 * @param revision revision of {@code hashKV}
 * @param compactRevision compacted revision
 * @param hashKV KV hash at {@code revision}
 * @param dbSize snapshot size in bytes
 * @param dbSha256 the snapshot's sha256 trailer
 * @param localSeconds time to stream, verify, zip and write the local copy
 * @param s3Seconds time to upload, 0 when not uploaded
 * @param deletedLocal local snapshots removed by retention
 * @param deletedS3 S3 snapshots removed by retention
 * @param warnings e.g. a database close to its quota
 * @param reason empty on success, else a CamelCase reason
 * @param error empty on success, else what failed
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotOutcome(
    String name,
    String nodeName,
    String member,
    String memberId,
    String localPath,
    long size,
    String sha256,
    String s3FileName,
    String createdAt,
    String clusterId,
    String etcdVersion,
    String storageVersion,
    long revision,
    long compactRevision,
    long hashKV,
    long dbSize,
    String dbSha256,
    double localSeconds,
    double s3Seconds,
    List<String> deletedLocal,
    List<String> deletedS3,
    List<String> warnings,
    String reason,
    String error) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public SnapshotOutcome {
    deletedLocal = deletedLocal == null ? List.of() : List.copyOf(deletedLocal);
    deletedS3 = deletedS3 == null ? List.of() : List.copyOf(deletedS3);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  public boolean succeeded() {
    return error == null || error.isEmpty();
  }

  /** A failed run. */
  public static SnapshotOutcome failure(
      String name, String nodeName, String member, String reason, String error) {
    return new SnapshotOutcome(
        name,
        nodeName,
        member,
        null,
        null,
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        0,
        0,
        0,
        null,
        0,
        0,
        List.of(),
        List.of(),
        List.of(),
        reason,
        truncate(error, 1500));
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a snapshot outcome", e);
    }
  }

  public static SnapshotOutcome fromJson(String json) {
    try {
      return JSON.readValue(json, SnapshotOutcome.class);
    } catch (JsonProcessingException e) {
      throw new EtcdException(
          "not a snapshot outcome (agent termination message): " + e.getOriginalMessage(), true, e);
    }
  }

  static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max) + "...";
  }
}

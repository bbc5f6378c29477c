package dev.backuprestore.etcd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The cluster state file {@code <name>.state.json} stored next to the etcd snapshot in the zip:
 * what a restore needs ({@code --initial-cluster} from the members' names and peer URLs; revision
 * and KV hash to verify the result) and what an operator wants to know (versions, nodes). It holds
 * no key material, unlike RKE's {@code .rkestate}.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param snapshotName the snapshot name (without {@code .zip})
 * @param createdAt RFC 3339 UTC
 * @param operatorVersion the version of the operator that took the snapshot
 * @param etcd the etcd cluster
 * @param kubernetes the Kubernetes cluster, when known
 * @param extraMetadata free-form data (e.g. a ConfigMap's data at snapshot time)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterState(
    int formatVersion,
    String snapshotName,
    String createdAt,
    String operatorVersion,
    Etcd etcd,
    Kubernetes kubernetes,
    Map<String, String> extraMetadata) {

  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * @param clusterID hex
   * @param version etcd server version, e.g. 3.6.6
   * @param storageVersion the snapshot's storage version, e.g. 3.6.0
   * @param sourceMember the member the snapshot was streamed from
   * @param members every member of the cluster
   * @param revision the revision {@code hashKV} was computed at (at most the snapshot's revision)
   * @param compactRevision the compacted revision at that time, -1 when unknown
   * @param hashKV the KV hash at {@code revision}, equal on all members, unsigned 32-bit
   * @param dbSize the size of the snapshot file in bytes (trailer included)
   * @param dbSha256 the sha256 trailer value (of the database without the trailer)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Etcd(
      String clusterID,
      String version,
      String storageVersion,
      Member sourceMember,
      List<Member> members,
      long revision,
      long compactRevision,
      long hashKV,
      long dbSize,
      String dbSha256) {}

  /**
   * @param name member name
   * @param id hex member ID
   * @param peerURLs peer URLs, what {@code --initial-cluster} needs
   * @param clientURLs client URLs
   * @param node the Kubernetes node the member runs on, when known
   * @param learner whether the member is a learner
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Member(
      String name,
      String id,
      List<String> peerURLs,
      List<String> clientURLs,
      String node,
      Boolean learner) {}

  /**
   * @param version e.g. v1.34.4
   * @param distribution kubeadm, rke2, k3s, rke1 or custom
   * @param nodes the cluster's nodes at snapshot time
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Kubernetes(String version, String distribution, List<Node> nodes) {}

  /**
   * @param name node name
   * @param internalIP the node's InternalIP
   * @param roles e.g. control-plane, etcd
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Node(String name, String internalIP, List<String> roles) {}

  /** UTF-8 JSON, indented. */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the cluster state of " + snapshotName, e);
    }
  }

  /**
   * @throws EtcdSnapshotFormatException naming {@code what} when the JSON is not a state file of a
   *     known format version
   */
  public static ClusterState fromJson(byte[] json, String what) {
    ClusterState state;
    try {
      state = JSON.readValue(json, ClusterState.class);
    } catch (JsonProcessingException e) {
      throw new EtcdSnapshotFormatException(
          what + ": not a cluster state file: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new EtcdSnapshotFormatException(what + ": cannot read the cluster state file", e);
    }
    if (state == null || state.formatVersion() != FORMAT_VERSION) {
      throw new EtcdSnapshotFormatException(
          what
              + ": cluster state format version "
              + (state == null ? "(none)" : state.formatVersion())
              + " is not supported (expected "
              + FORMAT_VERSION
              + ")");
    }
    return state;
  }
}

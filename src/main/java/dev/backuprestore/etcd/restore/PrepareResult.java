package dev.backuprestore.etcd.restore;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code etcd-restore prepare} found on one node, as JSON in its pod's termination message
 * (the way the etcd agent reports): the zip's verified sha256, or the failed step and why.
 *
 * @param node the node name the Job was pinned to
 * @param snapshotName the snapshot (zip name without .zip), when known
 * @param sha256 the verified sha256 of the zip, null on failure
 * @param reason null on success, else the failed step (FETCH, VERIFY, ...) or USAGE
 * @param error the message on failure
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrepareResult(
    String node, String snapshotName, String sha256, String reason, String error) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static PrepareResult verified(String node, String snapshotName, String sha256) {
    return new PrepareResult(node, snapshotName, sha256, null, null);
  }

  public static PrepareResult failed(String node, String reason, String error) {
    return new PrepareResult(node, null, null, reason, error);
  }

  public boolean succeeded() {
    return error == null && sha256 != null;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a result; throws IllegalArgumentException when the text is not one. */
  public static PrepareResult fromJson(String json) {
    try {
      return JSON.readValue(json, PrepareResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a prepare result: " + e.getOriginalMessage(), e);
    }
  }
}

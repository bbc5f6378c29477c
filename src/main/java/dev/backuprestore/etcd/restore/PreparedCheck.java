package dev.backuprestore.etcd.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a restore is prepared: every node reported a verified zip and every node's sha256
 * equals the recorded one (RKE's "all nodes hold the same snapshot" step). Without a recorded value
 * the nodes must at least agree with each other, and the message says that nothing was recorded.
 */
public final class PreparedCheck {
  /** One node's line of the verdict. */
  public record NodeCheck(
      String node, String sha256, boolean matches, String reason, String error) {}

  /**
   * The verdict.
   *
   * @param prepared true only when every node verified the recorded bytes
   * @param reason Prepared, ChecksumMismatch, NodeFailed or NoResult
   * @param message names the first failing node and why, or says what was verified
   */
  public record Verdict(boolean prepared, String reason, String message, List<NodeCheck> nodes) {}

  private PreparedCheck() {}

  /**
   * @param expectedSha256 the recorded sha256 of the zip, or null when none was recorded
   * @param nodes the nodes in order
   * @param results the result per node; a node without one failed to report
   */
  public static Verdict check(
      String expectedSha256, List<String> nodes, Map<String, PrepareResult> results) {
    String expected = expectedSha256 == null ? null : expectedSha256.toLowerCase(Locale.ROOT);
    String reference = expected;
    if (reference == null) {
      reference =
          nodes.stream()
              .map(results::get)
              .filter(r -> r != null && r.succeeded())
              .map(r -> r.sha256().toLowerCase(Locale.ROOT))
              .findFirst()
              .orElse(null);
    }
    List<NodeCheck> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String firstReason = null;
    for (String node : nodes) {
      PrepareResult result = results.get(node);
      if (result == null) {
        checks.add(new NodeCheck(node, null, false, "NoResult", "no result reported"));
        problems.add(node + ": no result reported");
        firstReason = firstReason == null ? "NoResult" : firstReason;
        continue;
      }
      if (!result.succeeded()) {
        String reason = result.reason() == null ? "Failed" : result.reason();
        String error = result.error() == null ? "failed without a message" : result.error();
        checks.add(new NodeCheck(node, null, false, reason, error));
        problems.add(node + ": " + reason + ": " + error);
        firstReason = firstReason == null ? "NodeFailed" : firstReason;
        continue;
      }
      String sha = result.sha256().toLowerCase(Locale.ROOT);
      if (!sha.equals(reference)) {
        String error =
            "sha256 "
                + sha
                + " differs from "
                + (expected != null
                    ? "the recorded "
                    : "node " + firstVerified(nodes, results) + "'s ")
                + reference;
        checks.add(new NodeCheck(node, sha, false, "ChecksumMismatch", error));
        problems.add(node + ": " + error);
        firstReason = firstReason == null ? "ChecksumMismatch" : firstReason;
        continue;
      }
      checks.add(new NodeCheck(node, sha, true, null, null));
    }
    if (nodes.isEmpty()) {
      return new Verdict(false, "NoEtcdNodes", "no etcd node to prepare", checks);
    }
    if (!problems.isEmpty()) {
      return new Verdict(
          false,
          firstReason,
          "Not prepared on "
              + problems.size()
              + " of "
              + nodes.size()
              + " nodes: "
              + String.join("; ", problems),
          checks);
    }
    String message =
        "Snapshot verified on all "
            + nodes.size()
            + " nodes ("
            + String.join(", ", nodes)
            + "), sha256 "
            + reference
            + (expected != null
                ? " as recorded"
                : "; no sha256 was recorded, the nodes only agree with each other");
    return new Verdict(true, "Prepared", message, checks);
  }

  private static String firstVerified(List<String> nodes, Map<String, PrepareResult> results) {
    return nodes.stream()
        .filter(n -> results.get(n) != null && results.get(n).succeeded())
        .findFirst()
        .orElse("?");
  }
}

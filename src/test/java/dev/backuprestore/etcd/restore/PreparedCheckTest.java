package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreparedCheckTest {
  static final String RECORDED = "a".repeat(64);
  static final String OTHER = "b".repeat(64);
  static final List<String> NODES = List.of("cp-1", "cp-2", "cp-3");

  @Test
  void preparedWhenEveryNodeVerifiedTheRecordedSha256() {
    var verdict =
        PreparedCheck.check(
            RECORDED,
            NODES,
            Map.of(
                "cp-1", PrepareResult.verified("cp-1", "s", RECORDED),
                "cp-2", PrepareResult.verified("cp-2", "s", RECORDED.toUpperCase()),
                "cp-3", PrepareResult.verified("cp-3", "s", RECORDED)));
    assertThat(verdict.prepared()).isTrue();
    assertThat(verdict.reason()).isEqualTo("Prepared");
    assertThat(verdict.message()).contains("all 3 nodes", RECORDED, "as recorded");
    assertThat(verdict.nodes()).allSatisfy(n -> assertThat(n.matches()).isTrue());
  }

  @Test
  void oneNodeWithOtherBytesIsNotPreparedAndNamed() {
    var verdict =
        PreparedCheck.check(
            RECORDED,
            NODES,
            Map.of(
                "cp-1", PrepareResult.verified("cp-1", "s", RECORDED),
                "cp-2", PrepareResult.verified("cp-2", "s", OTHER),
                "cp-3", PrepareResult.verified("cp-3", "s", RECORDED)));
    assertThat(verdict.prepared()).isFalse();
    assertThat(verdict.reason()).isEqualTo("ChecksumMismatch");
    assertThat(verdict.message())
        .startsWith("Not prepared on 1 of 3 nodes: cp-2: sha256 " + OTHER)
        .contains("the recorded " + RECORDED)
        .doesNotContain("cp-1:");
    assertThat(verdict.nodes())
        .extracting(PreparedCheck.NodeCheck::node, PreparedCheck.NodeCheck::matches)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cp-1", true),
            org.assertj.core.groups.Tuple.tuple("cp-2", false),
            org.assertj.core.groups.Tuple.tuple("cp-3", true));
    assertThat(verdict.nodes().get(1).sha256()).isEqualTo(OTHER);
  }

  @Test
  void oneFailedNodeIsNotPreparedWithItsReason() {
    var verdict =
        PreparedCheck.check(
            RECORDED,
            NODES,
            Map.of(
                "cp-1", PrepareResult.verified("cp-1", "s", RECORDED),
                "cp-2", PrepareResult.failed("cp-2", "FETCH", "S3 object s.zip not found"),
                "cp-3", PrepareResult.verified("cp-3", "s", RECORDED)));
    assertThat(verdict.prepared()).isFalse();
    assertThat(verdict.reason()).isEqualTo("NodeFailed");
    assertThat(verdict.message()).contains("cp-2: FETCH: S3 object s.zip not found");
    assertThat(verdict.nodes().get(1).reason()).isEqualTo("FETCH");
    assertThat(verdict.nodes().get(1).sha256()).isNull();
  }

  @Test
  void aNodeWithoutAResultIsNotPrepared() {
    var verdict =
        PreparedCheck.check(
            RECORDED, NODES, Map.of("cp-1", PrepareResult.verified("cp-1", "s", RECORDED)));
    assertThat(verdict.prepared()).isFalse();
    assertThat(verdict.message()).contains("2 of 3", "cp-2: no result", "cp-3: no result");
  }

  @Test
  void withNothingRecordedTheNodesMustAgreeAndTheMessageSaysSo() {
    var agree =
        PreparedCheck.check(
            null,
            List.of("a", "b"),
            Map.of(
                "a", PrepareResult.verified("a", "s", OTHER),
                "b", PrepareResult.verified("b", "s", OTHER)));
    assertThat(agree.prepared()).isTrue();
    assertThat(agree.message()).contains("no sha256 was recorded");
    var differ =
        PreparedCheck.check(
            null,
            List.of("a", "b"),
            Map.of(
                "a", PrepareResult.verified("a", "s", OTHER),
                "b", PrepareResult.verified("b", "s", RECORDED)));
    assertThat(differ.prepared()).isFalse();
    assertThat(differ.message()).contains("b: sha256 " + RECORDED + " differs from node a's");
  }

  @Test
  void noNodesIsNotPrepared() {
    var verdict = PreparedCheck.check(RECORDED, List.of(), Map.of());
    assertThat(verdict.prepared()).isFalse();
    assertThat(verdict.reason()).isEqualTo("NoEtcdNodes");
  }

  @Test
  void theResultRoundTripsAsJson() {
    PrepareResult result = PrepareResult.failed("cp-1", "VERIFY", "trailer \"missing\"");
    assertThat(PrepareResult.fromJson(result.toJson())).isEqualTo(result);
    assertThat(result.toJson()).doesNotContain("sha256");
  }
}

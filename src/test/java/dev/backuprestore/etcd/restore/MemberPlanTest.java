package dev.backuprestore.etcd.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.etcd.restore.MemberPlan.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberPlanTest {
  private static final List<Member> RECORDED =
      List.of(
          Member.parse("m1=https://10.0.0.1:2380"),
          Member.parse("m2=https://10.0.0.2:2380"),
          Member.parse("m3=https://10.0.0.3:2380"));

  @Test
  void takesTheStateFilesMembersWhenNoneAreGiven() {
    MemberPlan plan = MemberPlan.resolve(RECORDED, List.of(), "m2", false);

    assertThat(plan.initialCluster())
        .isEqualTo("m1=https://10.0.0.1:2380,m2=https://10.0.0.2:2380,m3=https://10.0.0.3:2380");
    assertThat(plan.self()).isEqualTo(new Member("m2", "https://10.0.0.2:2380"));
  }

  @Test
  void acceptsGivenMembersThatMatchInAnyOrder() {
    MemberPlan plan =
        MemberPlan.resolve(
            RECORDED, List.of(RECORDED.get(2), RECORDED.get(0), RECORDED.get(1)), "m1", false);

    assertThat(plan.members()).hasSize(3);
    assertThat(plan.self().peerUrl()).isEqualTo("https://10.0.0.1:2380");
  }

  @Test
  void refusesGivenMembersThatDifferFromTheStateFileUnlessForced() {
    List<Member> moved =
        List.of(
            Member.parse("m1=https://10.0.0.1:2380"),
            Member.parse("m2=https://10.9.9.9:2380"),
            Member.parse("m4=https://10.0.0.4:2380"));

    assertThatThrownBy(() -> MemberPlan.resolve(RECORDED, moved, "m1", false))
        .isInstanceOf(EtcdRestoreException.class)
        .hasMessageContaining("do not match the snapshot's state file")
        .hasMessageContaining(
            "member m2 has peer URL https://10.9.9.9:2380, the snapshot recorded https://10.0.0.2:2380")
        .hasMessageContaining("member m3 of the snapshot is missing")
        .hasMessageContaining("member m4 is not in the snapshot")
        .hasMessageContaining("--force-members");
    assertThat(MemberPlan.resolve(RECORDED, moved, "m4", true).initialCluster())
        .isEqualTo("m1=https://10.0.0.1:2380,m2=https://10.9.9.9:2380,m4=https://10.0.0.4:2380");
  }

  @Test
  void refusesAnUnknownSelfDuplicatesAndNoMembersAtAll() {
    assertThatThrownBy(() -> MemberPlan.resolve(RECORDED, List.of(), "m9", false))
        .hasMessageContaining("member m9 is not in the member list [m1, m2, m3]");
    assertThatThrownBy(
            () ->
                MemberPlan.resolve(
                    List.of(), List.of(RECORDED.get(0), RECORDED.get(0)), "m1", false))
        .hasMessageContaining("member m1 is given twice");
    assertThatThrownBy(() -> MemberPlan.resolve(List.of(), List.of(), "m1", false))
        .hasMessageContaining("no member list");
  }

  @Test
  void parsesNameEqualsPeerUrl() {
    assertThat(Member.parse("etcd-cp-1=https://[fd00::1]:2380").peerUrl())
        .isEqualTo("https://[fd00::1]:2380");
    assertThatThrownBy(() -> Member.parse("m1")).hasMessageContaining("name=peerURL");
    assertThatThrownBy(() -> Member.parse("m1=10.0.0.1"))
        .hasMessageContaining("scheme://host:port");
  }
}

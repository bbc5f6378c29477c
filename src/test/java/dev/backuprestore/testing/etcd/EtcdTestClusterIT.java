package dev.backuprestore.testing.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdTestClusterIT {
  @RegisterExtension static EtcdTestCluster etcd = EtcdTestCluster.members(3);

  @Test
  void threeMembersServeMutualTlsAndAMemberCanBeStoppedAndRestarted() throws Exception {
    etcd.put(0, "/probe", "v".getBytes());
    assertThat(etcd.post(1, "/v3/kv/range", "{\"key\":\"L3Byb2Jl\"}").body()).contains("\"dg==\"");
    etcd.stop(2);
    assertThat(etcd.member(2).isRunning()).isFalse();
    etcd.restart(2);
    assertThat(etcd.post(2, "/v3/kv/range", "{\"key\":\"L3Byb2Jl\"}").body()).contains("\"dg==\"");
  }
}

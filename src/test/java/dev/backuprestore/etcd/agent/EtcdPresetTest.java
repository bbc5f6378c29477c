package dev.backuprestore.etcd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdPresetTest {
  @Test
  void aSpecEndpointNamingTheNodeItselfIsTheMemberTheAgentSnapshots() {
    // An etcd on another port than the preset's (found with the real-node tier's etcd on 12379):
    // before, node mode always snapshotted https://127.0.0.1:2379 and used the spec only for the
    // health check.
    assertThat(EtcdPreset.CUSTOM.memberEndpoint(List.of("https://127.0.0.1:12379")))
        .isEqualTo("https://127.0.0.1:12379");
    assertThat(EtcdPreset.KUBEADM.memberEndpoint(List.of(" https://localhost:3379/ ")))
        .isEqualTo("https://localhost:3379/");
    assertThat(EtcdPreset.KUBEADM.memberEndpoint(List.of("https://[::1]:2379")))
        .isEqualTo("https://[::1]:2379");
    assertThat(EtcdPreset.RKE1.memberEndpoint(List.of("https://$(NODE_IP):4001")))
        .isEqualTo("https://$(NODE_IP):4001");
  }

  @Test
  void theFirstOfSeveralLocalEndpointsWinsAndOtherHostsAreOtherMembers() {
    assertThat(
            EtcdPreset.RKE2.memberEndpoint(
                List.of(
                    "https://10.0.0.2:2379", "https://127.0.0.1:2479", "https://127.0.0.1:2579")))
        .isEqualTo("https://127.0.0.1:2479");
  }

  @Test
  void withoutALocalSpecEndpointThePresetsEndpointStays() {
    assertThat(EtcdPreset.KUBEADM.memberEndpoint(null)).isEqualTo("https://127.0.0.1:2379");
    assertThat(EtcdPreset.KUBEADM.memberEndpoint(List.of())).isEqualTo("https://127.0.0.1:2379");
    assertThat(
            EtcdPreset.KUBEADM.memberEndpoint(
                List.of("https://10.0.0.1:2379", "https://127.example.com:2379", "127.0.0.1:2379")))
        .isEqualTo("https://127.0.0.1:2379");
    assertThat(EtcdPreset.RKE1.memberEndpoint(List.of("https://10.0.0.1:2379")))
        .isEqualTo("https://$(NODE_IP):2379");
  }
}

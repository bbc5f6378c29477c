package dev.backuprestore.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.testing.etcd.EtcdTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A member with a tiny backend quota raises NOSPACE: the health check refuses the snapshot. */
class EtcdNoSpaceIT {
  @RegisterExtension
  static EtcdTestCluster etcd = EtcdTestCluster.members(3).quotaBackendBytes(1, 1 << 20);

  @Test
  void aNoSpaceAlarmRefusesTheSnapshotAndNamesTheMember() throws Exception {
    byte[] value = new byte[100 * 1024];
    boolean full = false;
    for (int i = 0; i < 100 && !full; i++) {
      var response =
          etcd.post(
              0,
              "/v3/kv/put",
              "{\"key\":\""
                  + java.util.Base64.getEncoder().encodeToString(("k" + i).getBytes())
                  + "\",\"value\":\""
                  + java.util.Base64.getEncoder().encodeToString(value)
                  + "\"}");
      full = response.body().contains("database space exceeded");
    }
    assertThat(full).as("the tiny quota fills up").isTrue();

    HealthReport health =
        new EtcdHealthCheck(
                new EtcdConnector(
                    etcd.clientTls(), Duration.ofSeconds(10), EtcdConnector.SnapshotTransport.AUTO),
                EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG)
            .check(etcd.clientUrls());
    assertThat(health.healthy()).isFalse();
    assertThat(health.problems())
        .anySatisfy(
            p -> {
              assertThat(p.reason()).isEqualTo(HealthProblem.ALARM);
              assertThat(p.member()).isEqualTo("m2");
              assertThat(p.message()).contains("NOSPACE");
            });
  }
}

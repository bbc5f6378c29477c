package dev.backuprestore.restore.actions;

import static dev.backuprestore.restore.actions.ActionTesting.item;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.restore.RestoreItem;
import org.junit.jupiter.api.Test;

class ServiceClusterIpActionTest {
  private final ServiceClusterIpAction action = new ServiceClusterIpAction();

  @Test
  void dropsAllocatedClusterIps() {
    RestoreItem service =
        item(
            "",
            "v1",
            "services",
            "shop",
            """
            {"metadata":{"name":"web"},"spec":{"clusterIP":"10.43.0.17","clusterIPs":["10.43.0.17"],
             "ports":[{"port":80}]}}""");

    assertThat(action.appliesTo(service)).isTrue();
    action.execute(service);

    assertThat(service.object().path("spec").has("clusterIP")).isFalse();
    assertThat(service.object().path("spec").has("clusterIPs")).isFalse();
    assertThat(service.object().path("spec").path("ports").size()).isEqualTo(1);
  }

  @Test
  void keepsHeadlessServicesHeadless() {
    RestoreItem headless =
        item(
            "",
            "v1",
            "services",
            "shop",
            """
            {"metadata":{"name":"db"},"spec":{"clusterIP":"None","clusterIPs":["None"]}}""");

    action.execute(headless);

    assertThat(headless.object().path("spec").path("clusterIP").asText()).isEqualTo("None");
  }

  @Test
  void leavesOtherKindsAlone() {
    assertThat(
            action.appliesTo(
                item("", "v1", "configmaps", "shop", "{\"metadata\":{\"name\":\"c\"}}")))
        .isFalse();
  }
}

package dev.backuprestore.restore.actions;

import static dev.backuprestore.restore.actions.ActionTesting.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.restore.RefusalFallback;
import dev.backuprestore.restore.RestoreItem;
import org.junit.jupiter.api.Test;

class ServiceClusterIpActionTest {
  private static final String OUTSIDE_RANGE =
      "422 Invalid: Service \"web\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.43.0.17\"}:"
          + " failed to allocate IP 10.43.0.17: the provided IP (10.43.0.17) is not in the valid"
          + " range. The range of valid IPs is 10.0.0.0/24";

  private final ServiceClusterIpAction action = new ServiceClusterIpAction();

  private static RestoreItem web() {
    return item(
        "",
        "v1",
        "services",
        "shop",
        """
        {"metadata":{"name":"web"},"spec":{"clusterIP":"10.43.0.17","clusterIPs":["10.43.0.17"],
         "ports":[{"port":80}]}}""");
  }

  @Test
  void keepsThePinnedAddressOnTheFirstAttempt() {
    RestoreItem service = web();

    assertThat(action.appliesTo(service)).isTrue();
    RestoreItem applied = action.execute(service).item();

    assertThat(applied.object().at("/spec/clusterIP").asText()).isEqualTo("10.43.0.17");
    assertThat(applied.object().at("/spec/clusterIPs/0").asText()).isEqualTo("10.43.0.17");
  }

  @Test
  void aRefusedAddressFallsBackToANewOneAndSaysWhich() throws Exception {
    RestoreItem service = web();

    RefusalFallback fallback =
        action
            .fallbackAfterRefusal(service, new KubeApiException(OUTSIDE_RANGE, 422))
            .orElseThrow();

    assertThat(fallback.item().object().path("spec").has("clusterIP")).isFalse();
    assertThat(fallback.item().object().path("spec").has("clusterIPs")).isFalse();
    assertThat(fallback.item().object().at("/spec/ports").size()).isEqualTo(1);
    assertThat(service.object().at("/spec/clusterIP").asText())
        .as("the refused item is not changed")
        .isEqualTo("10.43.0.17");
    String written = "{\"spec\":{\"clusterIP\":\"10.0.0.9\"}}";
    assertThat(fallback.warning().apply(new ObjectMapper().readTree(written)))
        .isEqualTo(
            "services shop/web: cluster IP 10.43.0.17 refused by the API server (the provided IP"
                + " (10.43.0.17) is not in the valid range. The range of valid IPs is"
                + " 10.0.0.0/24); the Service has the address 10.0.0.9 instead");
  }

  @Test
  void otherRefusalsStand() {
    RestoreItem service = web();

    assertThat(
            action.fallbackAfterRefusal(
                service,
                new KubeApiException(
                    "422 Invalid: Service \"web\" is invalid: spec.ports[0].port: Invalid value",
                    422)))
        .isEmpty();
    assertThat(action.fallbackAfterRefusal(service, new KubeApiException("403 Forbidden", 403)))
        .isEmpty();
  }

  @Test
  void headlessAndUnpinnedServicesAreLeftAlone() {
    RestoreItem headless =
        item(
            "",
            "v1",
            "services",
            "shop",
            """
            {"metadata":{"name":"db"},"spec":{"clusterIP":"None","clusterIPs":["None"]}}""");
    RestoreItem unpinned =
        item("", "v1", "services", "shop", "{\"metadata\":{\"name\":\"x\"},\"spec\":{}}");

    assertThat(action.appliesTo(headless)).isFalse();
    assertThat(action.appliesTo(unpinned)).isFalse();
  }

  @Test
  void leavesOtherKindsAlone() {
    assertThat(
            action.appliesTo(
                item("", "v1", "configmaps", "shop", "{\"metadata\":{\"name\":\"c\"}}")))
        .isFalse();
  }
}

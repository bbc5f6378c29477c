package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Services keep their pinned cluster IP when the cluster accepts it, as Rancher's restore does, and
 * get a new address only when the API server refuses the archived one; the restore's warnings name
 * each Service that did (docs/rancher-compat.md#services). The test apiserver's service range is
 * 10.0.0.0/24.
 */
class RestoreServiceAddressIT {
  private final RestoreFixture fixture = new RestoreFixture();

  private static ObjectNode service(String namespace, String name, String clusterIp) {
    ObjectNode service = Json.object("v1", "Service", namespace, name);
    ObjectNode spec = service.putObject("spec").put("type", "ClusterIP");
    if (clusterIp != null) {
      spec.put("clusterIP", clusterIp);
      spec.putArray("clusterIPs").add(clusterIp);
    }
    spec.putArray("ports").addObject().put("port", 80).put("protocol", "TCP");
    spec.putObject("selector").put("app", name);
    return service;
  }

  private String address(String namespace, String name) {
    return fixture.live("", "v1", "services", namespace, name).at("/spec/clusterIP").asText();
  }

  private List<String> addresses(String namespace, String name) {
    List<String> ips = new java.util.ArrayList<>();
    fixture
        .live("", "v1", "services", namespace, name)
        .at("/spec/clusterIPs")
        .forEach(ip -> ips.add(ip.asText()));
    return ips;
  }

  /** An address of the service range that no Service holds: allocated once, then released. */
  private String freeAddress(String namespace) {
    fixture.create("services", service(namespace, "probe", null));
    String ip = address(namespace, "probe");
    fixture.api.delete(new ObjectPath("", "v1", "services", namespace, "probe"));
    return ip;
  }

  private RestoreResult restore(String id, TestArchive archive) {
    return fixture.restore(RestoreFixture.job(id, archive.supplier()));
  }

  @Test
  void aPinnedAddressTheClusterAcceptsIsKept() {
    String ns = fixture.name("svc-kept");
    fixture.createNamespace(ns);
    String pinned = freeAddress(ns);

    RestoreResult result =
        restore("svc-kept", new TestArchive().add("services", service(ns, "web", pinned)));

    assertThat(result.failed()).isZero();
    assertThat(address(ns, "web")).isEqualTo(pinned);
    assertThat(addresses(ns, "web")).containsExactly(pinned);
    assertThat(result.warnings()).noneMatch(w -> w.contains(ns + "/web"));
  }

  @Test
  void anAddressOutsideTheServiceRangeIsReplacedAndReported() {
    String ns = fixture.name("svc-range");
    fixture.createNamespace(ns);

    RestoreResult result =
        restore("svc-range", new TestArchive().add("services", service(ns, "dns", "10.96.0.10")));

    assertThat(result.failed()).isZero();
    assertThat(result.created()).isEqualTo(1);
    String given = address(ns, "dns");
    assertThat(given).startsWith("10.0.0.").isNotEqualTo("10.96.0.10");
    assertThat(result.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "services "
                            + ns
                            + "/dns: cluster IP 10.96.0.10 refused by the API server (")
                    .contains("range")
                    .endsWith("the Service has the address " + given + " instead"));
  }

  @Test
  void anAddressAnotherServiceHoldsIsReplacedAndReported() {
    String ns = fixture.name("svc-taken");
    fixture.createNamespace(ns);
    fixture.create("services", service(ns, "holder", null));
    String taken = address(ns, "holder");

    RestoreResult result =
        restore("svc-taken", new TestArchive().add("services", service(ns, "web", taken)));

    assertThat(result.failed()).isZero();
    assertThat(address(ns, "web")).isNotEqualTo(taken).startsWith("10.0.0.");
    assertThat(address(ns, "holder")).isEqualTo(taken);
    assertThat(result.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("services " + ns + "/web: cluster IP " + taken + " refused"));
  }

  @Test
  void aLiveServiceKeepsItsAddressWhenTheArchiveHasAnotherAndSaysSo() {
    String ns = fixture.name("svc-live");
    fixture.createNamespace(ns);
    String archived = freeAddress(ns);
    fixture.create("services", service(ns, "web", null));
    String live = address(ns, "web");

    RestoreResult result =
        restore("svc-live", new TestArchive().add("services", service(ns, "web", archived)));

    assertThat(result.failed()).isZero();
    assertThat(result.updated()).isEqualTo(1);
    assertThat(address(ns, "web")).isEqualTo(live);
    assertThat(result.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("services " + ns + "/web: cluster IP " + archived + " refused")
                    .endsWith("the Service has the address " + live + " instead"));
  }

  @Test
  void aHeadlessServiceStaysHeadless() {
    String ns = fixture.name("svc-headless");
    fixture.createNamespace(ns);

    RestoreResult result =
        restore("svc-headless", new TestArchive().add("services", service(ns, "db", "None")));

    assertThat(result.failed()).isZero();
    assertThat(address(ns, "db")).isEqualTo("None");
    assertThat(result.warnings()).noneMatch(w -> w.contains(ns + "/db"));
  }
}

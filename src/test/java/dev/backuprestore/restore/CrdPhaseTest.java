package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.archive.ObjectPath;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Waiting for CRDs without sleeping: poll results, the 60 s limit, rejected names. */
@EnableKubernetesMockClient
class CrdPhaseTest {
  private static final String PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  KubernetesMockServer server;
  KubernetesClient client;

  private final RestoreTally tally = new RestoreTally();
  private final JobMemory.Progress progress = new JobMemory.Progress(T0);

  private RestorePlan plan(String... names) {
    List<PlannedObject> crds = new ArrayList<>();
    for (String name : names) {
      crds.add(
          new PlannedObject(
              new ObjectPath("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, name),
              "CustomResourceDefinition",
              List.of()));
    }
    progress.crdsApplied(Set.copyOf(crds.stream().map(PlannedObject::path).toList()));
    return new RestorePlan(crds, BackupFilters.absent(), Set.of());
  }

  private static String crd(String name, String established, String namesAccepted) {
    return """
        {"metadata":{"name":"%s"},"status":{"conditions":[
          {"type":"NamesAccepted","status":"%s","reason":"x","message":"the name widgets is taken"},
          {"type":"Established","status":"%s"}]}}"""
        .formatted(name, namesAccepted, established);
  }

  @Test
  void asksToPollAgainUntilEveryCrdIsEstablished() {
    server
        .expect()
        .get()
        .withPath(PATH + "a.example.com")
        .andReturn(200, crd("a", "True", "True"))
        .always();
    server
        .expect()
        .get()
        .withPath(PATH + "b.example.com")
        .andReturn(200, crd("b", "False", "True"))
        .once();
    server
        .expect()
        .get()
        .withPath(PATH + "b.example.com")
        .andReturn(200, crd("b", "True", "True"))
        .once();
    CrdPhase phase = new CrdPhase(new ObjectApi(client));
    RestorePlan plan = plan("a.example.com", "b.example.com");

    assertThat(phase.awaitEstablished(plan, progress, T0, tally)).contains(Duration.ofMillis(500));
    assertThat(phase.awaitEstablished(plan, progress, T0.plusMillis(500), tally)).isEmpty();
    assertThat(tally.failedCount()).isZero();
  }

  @Test
  void givesUpAMinuteAfterTheJobStartedWaiting() {
    server
        .expect()
        .get()
        .withPath(PATH + "slow.example.com")
        .andReturn(200, crd("slow", "False", "True"))
        .always();
    CrdPhase phase = new CrdPhase(new ObjectApi(client));
    RestorePlan plan = plan("slow.example.com");

    assertThat(phase.awaitEstablished(plan, progress, T0, tally)).isPresent();
    assertThat(phase.awaitEstablished(plan, progress, T0.plusSeconds(59), tally)).isPresent();
    Optional<Duration> last = phase.awaitEstablished(plan, progress, T0.plusSeconds(61), tally);

    assertThat(last).isEmpty();
    assertThat(tally.failures())
        .singleElement()
        .asString()
        .isEqualTo(
            "customresourcedefinitions.apiextensions.k8s.io slow.example.com: not Established after 60s");
  }

  @Test
  void rejectedNamesFailAtOnceAndPermanently() {
    server
        .expect()
        .get()
        .withPath(PATH + "clash.example.com")
        .andReturn(200, crd("clash", "False", "False"))
        .always();
    CrdPhase phase = new CrdPhase(new ObjectApi(client));

    assertThat(phase.awaitEstablished(plan("clash.example.com"), progress, T0, tally)).isEmpty();

    assertThat(tally.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("names not accepted: the name widgets is taken");
              assertThat(f.permanent()).isTrue();
            });
  }
}

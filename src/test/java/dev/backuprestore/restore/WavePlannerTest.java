package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.archive.ObjectPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WavePlannerTest {
  private final List<PlannedObject> objects = new ArrayList<>();

  private PlannedObject add(
      String group,
      String resource,
      String kind,
      String namespace,
      String name,
      OwnerRef... owners) {
    PlannedObject object =
        new PlannedObject(
            new ObjectPath(group, "v1", resource, namespace, name), kind, List.of(owners));
    objects.add(object);
    return object;
  }

  private RestorePlan plan() {
    RestorePlan plan = new RestorePlan(objects, BackupFilters.absent(), java.util.Set.of());
    WavePlanner.plan(plan);
    return plan;
  }

  @Test
  void followsThePrioritiesInsideEachPhase() {
    PlannedObject pod = add("", "pods", "Pod", "a", "p");
    PlannedObject deployment = add("apps", "deployments", "Deployment", "a", "d");
    PlannedObject widget = add("example.com", "widgets", "Widget", "a", "w");
    PlannedObject configMap = add("", "configmaps", "ConfigMap", "a", "c");
    PlannedObject secret = add("", "secrets", "Secret", "a", "s");
    PlannedObject account = add("", "serviceaccounts", "ServiceAccount", "a", "sa");
    PlannedObject webhook =
        add("admissionregistration.k8s.io", "validatingwebhookconfigurations", "X", null, "hook");
    PlannedObject clusterRole = add("rbac.authorization.k8s.io", "clusterroles", "R", null, "r");
    PlannedObject namespace = add("", "namespaces", "Namespace", null, "a");

    plan();

    assertThat(
            List.of(
                namespace,
                clusterRole,
                webhook,
                account,
                secret,
                configMap,
                widget,
                deployment,
                pod))
        .extracting(PlannedObject::wave)
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void ownersComeBeforeDependentsEvenAgainstThePriorities() {
    // A ConfigMap owned by a Deployment must wait for it, although ConfigMaps come first.
    PlannedObject deployment = add("apps", "deployments", "Deployment", "a", "web");
    PlannedObject configMap =
        add("", "configmaps", "ConfigMap", "a", "web-config", ref("apps/v1", "Deployment", "web"));
    PlannedObject otherConfigMap = add("", "configmaps", "ConfigMap", "a", "plain");

    plan();

    assertThat(configMap.wave()).isGreaterThan(deployment.wave());
    assertThat(otherConfigMap.wave()).isLessThan(deployment.wave());
  }

  @Test
  void chainsOfOwnersGiveIncreasingWaves() {
    PlannedObject deployment = add("apps", "deployments", "Deployment", "a", "web");
    PlannedObject replicaSet =
        add("apps", "replicasets", "ReplicaSet", "a", "web-1", ref("apps/v1", "Deployment", "web"));
    PlannedObject pod =
        add("", "pods", "Pod", "a", "web-1-x", ref("apps/v1", "ReplicaSet", "web-1"));
    // archive order must not matter
    objects.add(0, objects.remove(2));

    plan();

    assertThat(deployment.wave()).isLessThan(replicaSet.wave());
    assertThat(replicaSet.wave()).isLessThan(pod.wave());
  }

  @Test
  void clusterScopedWavesAllComeBeforeNamespacedOnes() {
    PlannedObject webhook =
        add("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "X", null, "hook");
    PlannedObject ownedCluster =
        add("example.com", "things", "Thing", null, "t2", ref("example.com/v1", "Thing", "t1"));
    add("example.com", "things", "Thing", null, "t1");
    PlannedObject account = add("", "serviceaccounts", "ServiceAccount", "a", "sa");
    PlannedObject namespacedDependent =
        add("example.com", "parts", "Part", "a", "p", ref("example.com/v1", "Thing", "t2"));

    RestorePlan plan = plan();

    int lastCluster = plan.clusterWaves().get(plan.clusterWaves().size() - 1);
    assertThat(plan.namespacedWaves()).allSatisfy(w -> assertThat(w).isGreaterThan(lastCluster));
    assertThat(List.of(webhook.wave(), ownedCluster.wave()))
        .allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(lastCluster));
    assertThat(account.wave()).isGreaterThan(lastCluster);
    assertThat(namespacedDependent.wave()).isGreaterThan(account.wave());
  }

  @Test
  void ownersAreFoundInTheDependentsNamespaceOrClusterScoped() {
    PlannedObject ownerInB = add("apps", "deployments", "Deployment", "b", "web");
    PlannedObject ownerInA = add("apps", "deployments", "Deployment", "a", "web");
    PlannedObject dependent =
        add("apps", "replicasets", "ReplicaSet", "a", "rs", ref("apps/v1", "Deployment", "web"));

    plan();

    assertThat(dependent.wave()).isGreaterThan(ownerInA.wave());
    assertThat(ownerInB.wave()).isEqualTo(ownerInA.wave());
  }

  @Test
  void ignoresOwnersOutsideTheArchiveSelfReferencesAndNamespacedOwnersOfClusterObjects() {
    PlannedObject orphan =
        add("", "configmaps", "ConfigMap", "a", "c", ref("apps/v1", "Deployment", "gone"));
    PlannedObject self =
        add("", "configmaps", "ConfigMap", "a", "me", ref("v1", "ConfigMap", "me"));
    add("apps", "deployments", "Deployment", "a", "d");
    PlannedObject cluster =
        add(
            "rbac.authorization.k8s.io",
            "clusterroles",
            "ClusterRole",
            null,
            "r",
            ref("apps/v1", "Deployment", "d"));

    RestorePlan plan = plan();

    assertThat(orphan.wave()).isEqualTo(self.wave());
    assertThat(cluster.wave()).isLessThan(orphan.wave());
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void breaksOwnerCyclesWithAWarning() {
    PlannedObject a =
        add("example.com", "things", "Thing", "n", "a", ref("example.com/v1", "Thing", "b"));
    PlannedObject b =
        add("example.com", "things", "Thing", "n", "b", ref("example.com/v1", "Thing", "a"));
    PlannedObject c =
        add("example.com", "things", "Thing", "n", "c", ref("example.com/v1", "Thing", "b"));

    RestorePlan plan = plan();

    assertThat(List.of(a, b, c)).allSatisfy(o -> assertThat(o.wave()).isNotNegative());
    assertThat(c.wave()).isGreaterThan(b.wave());
    assertThat(plan.warnings()).singleElement().asString().contains("cycle");
  }

  @Test
  void crdsAreNotInTheWaves() {
    PlannedObject crd =
        add(
            "apiextensions.k8s.io",
            "customresourcedefinitions",
            "CustomResourceDefinition",
            null,
            "x");
    RestorePlan plan = plan();

    assertThat(crd.isCrd()).isTrue();
    assertThat(plan.clusterWaves()).isEmpty();
  }

  @Test
  void aHundredThousandObjectsArePlannedQuickly() {
    for (int i = 0; i < 20_000; i++) {
      add("apps", "deployments", "Deployment", "n" + (i % 50), "d" + i);
      add(
          "apps",
          "replicasets",
          "ReplicaSet",
          "n" + (i % 50),
          "r" + i,
          ref("apps/v1", "Deployment", "d" + i));
      add("", "pods", "Pod", "n" + (i % 50), "p" + i, ref("apps/v1", "ReplicaSet", "r" + i));
      add("", "configmaps", "ConfigMap", "n" + (i % 50), "c" + i);
      add("", "secrets", "Secret", "n" + (i % 50), "s" + i);
    }
    long start = System.nanoTime();
    RestorePlan plan = plan();
    long millis = (System.nanoTime() - start) / 1_000_000;

    Map<String, Integer> waveByKind =
        objects.stream()
            .collect(Collectors.toMap(PlannedObject::kind, PlannedObject::wave, Math::max));
    assertThat(waveByKind.get("Pod")).isGreaterThan(waveByKind.get("ReplicaSet"));
    assertThat(waveByKind.get("ReplicaSet")).isGreaterThan(waveByKind.get("Deployment"));
    assertThat(plan.namespacedWaves()).hasSizeLessThan(10);
    assertThat(millis).isLessThan(10_000);
  }

  private static OwnerRef ref(String apiVersion, String kind, String name) {
    return new OwnerRef(apiVersion, kind, name);
  }
}

package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.testing.Kubectl;
import dev.backuprestore.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The generic ResourceSet's kind filters against a real apiserver's discovery, with Rancher's
 * rules: every apiVersion it names is served (an unserved one is skipped silently at backup time),
 * and the kinds it selects are exactly the intended ones, all listable.
 */
class GenericResourceSetIT {

  @Test
  void kindFiltersSelectExactlyTheIntendedServedResources() {
    KubernetesClient client = LocalControlPlane.shared().client();
    ClusterFixtures.installCrds(
        new Kubectl(LocalControlPlane.shared()), Helm.located().template(Helm.CRD_CHART, ""));
    ResourceSet generic =
        RenderedManifests.parse(Helm.located().template(Helm.OPERATOR_CHART, ""))
            .one(ResourceSet.class, "backup-restore-generic");

    Set<String> selected = new TreeSet<>();
    for (ResourceSelector selector : generic.getResourceSelectors()) {
      APIResourceList served = client.getApiResources(selector.getApiVersion());
      assertThat(served).as("%s is served", selector.getApiVersion()).isNotNull();
      for (APIResource resource : served.getResources()) {
        if (resource.getName().contains("/")
            || !SelectorSemantics.selectsKind(selector, resource.getKind(), resource.getName())) {
          continue;
        }
        assertThat(resource.getVerbs()).as(resource.getName()).contains("list", "get");
        selected.add(selector.getApiVersion() + " " + resource.getName());
      }
    }

    assertThat(selected)
        .containsExactlyInAnyOrder(
            "v1 namespaces",
            "v1 configmaps",
            "v1 serviceaccounts",
            "v1 services",
            "v1 limitranges",
            "v1 resourcequotas",
            "v1 secrets",
            "apps/v1 deployments",
            "apps/v1 statefulsets",
            "apps/v1 daemonsets",
            "batch/v1 cronjobs",
            "autoscaling/v2 horizontalpodautoscalers",
            "policy/v1 poddisruptionbudgets",
            "networking.k8s.io/v1 ingresses",
            "networking.k8s.io/v1 networkpolicies",
            "rbac.authorization.k8s.io/v1 roles",
            "rbac.authorization.k8s.io/v1 rolebindings",
            "rbac.authorization.k8s.io/v1 clusterroles",
            "rbac.authorization.k8s.io/v1 clusterrolebindings",
            "scheduling.k8s.io/v1 priorityclasses",
            "apiextensions.k8s.io/v1 customresourcedefinitions",
            "resources.cattle.io/v1 resourcesets");
  }
}

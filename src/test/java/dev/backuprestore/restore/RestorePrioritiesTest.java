package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.archive.ObjectPath;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestorePrioritiesTest {
  @Test
  void namespacesComeFirstAndApiServicesLastAmongClusterScopedTypes() {
    assertThat(cluster("", "namespaces")).isZero();
    assertThat(cluster("", "persistentvolumes"))
        .isGreaterThan(cluster("storage.k8s.io", "storageclasses"));
    assertThat(cluster("example.com", "anything"))
        .isGreaterThan(cluster("rbac.authorization.k8s.io", "clusterrolebindings"))
        .isLessThan(cluster("admissionregistration.k8s.io", "validatingwebhookconfigurations"));
    assertThat(cluster("apiregistration.k8s.io", "apiservices"))
        .isEqualTo(RestorePriorities.clusterRanks() - 1);
  }

  @Test
  void configurationComesBeforeOtherTypesAndWorkloadsLast() {
    List<String> before =
        List.of("serviceaccounts", "secrets", "configmaps", "persistentvolumeclaims", "services");
    for (String resource : before) {
      assertThat(namespaced("", resource)).isLessThan(namespaced("example.com", "widgets"));
    }
    assertThat(namespaced("", "serviceaccounts")).isLessThan(namespaced("", "secrets"));
    assertThat(namespaced("apps", "deployments"))
        .isGreaterThan(namespaced("example.com", "widgets"));
    assertThat(namespaced("", "pods")).isEqualTo(RestorePriorities.namespacedRanks() - 1);
  }

  @Test
  void everyEntryHasAReasonAndAppearsOnce() {
    for (List<RestorePriorities.Priority> list :
        List.of(RestorePriorities.CLUSTER, RestorePriorities.NAMESPACED)) {
      Set<String> seen = new HashSet<>();
      assertThat(list).contains(RestorePriorities.OTHERS);
      for (RestorePriorities.Priority priority : list) {
        assertThat(priority.reason()).isNotBlank();
        assertThat(seen.add(priority.group() + "/" + priority.resource())).isTrue();
      }
    }
  }

  private static int cluster(String group, String resource) {
    return RestorePriorities.clusterRank(new ObjectPath(group, "v1", resource, null, "x"));
  }

  private static int namespaced(String group, String resource) {
    return RestorePriorities.namespacedRank(new ObjectPath(group, "v1", resource, "n", "x"));
  }
}

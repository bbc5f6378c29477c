package dev.backuprestore.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupVersionTest {
  @Test
  void parsesLikeGo() {
    assertThat(GroupVersion.parse("v1")).isEqualTo(new GroupVersion("", "v1"));
    assertThat(GroupVersion.parse("management.cattle.io/v3"))
        .isEqualTo(new GroupVersion("management.cattle.io", "v3"));
    assertThat(GroupVersion.parse("")).isEqualTo(new GroupVersion("", ""));
    assertThatThrownBy(() -> GroupVersion.parse("a/b/c"))
        .hasMessage("unexpected GroupVersion string: a/b/c");
  }

  @Test
  void resourceTypePaths() {
    ResourceType secrets = new ResourceType("", "v1", "secrets", "Secret", true, List.of("list"));
    ResourceType deployments =
        new ResourceType("apps", "v1", "deployments", "Deployment", true, List.of("get"));
    ResourceType roles =
        new ResourceType(
            "rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, List.of());

    assertThat(secrets.clusterWidePath()).isEqualTo("/api/v1/secrets");
    assertThat(secrets.objectPath("ns", "a b")).isEqualTo("/api/v1/namespaces/ns/secrets/a%20b");
    assertThat(deployments.clusterWidePath()).isEqualTo("/apis/apps/v1/deployments");
    assertThat(roles.objectPath("ignored", "system:admin"))
        .isEqualTo("/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aadmin");
    assertThat(secrets.canList()).isTrue();
    assertThat(deployments.canList()).isFalse();
    assertThat(deployments.canGet()).isTrue();
    assertThat(new ResourceType("", "v1", "pods/log", "Pod", true, null).isSubresource()).isTrue();
  }
}

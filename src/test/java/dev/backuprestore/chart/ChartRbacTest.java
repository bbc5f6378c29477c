package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.NAMESPACE;
import static dev.backuprestore.chart.Helm.OPERATOR_CHART;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chart's RBAC: least privilege by default, read-only or cluster-admin on request. */
class ChartRbacTest {
  private static final String NAME = "backup-restore-operator";
  private static final Set<String> WRITE_VERBS =
      Set.of("create", "update", "patch", "delete", "deletecollection", "escalate", "bind");

  private final Helm helm = Helm.located();

  private RenderedManifests render(String values) {
    return RenderedManifests.parse(helm.template(OPERATOR_CHART, values));
  }

  private static List<PolicyRule> rulesGranting(List<PolicyRule> rules, String verb) {
    return rules.stream().filter(rule -> rule.getVerbs().contains(verb)).toList();
  }

  @Test
  void defaultRoleCanBackUpRestoreAndPruneButNeverImpersonate() {
    RenderedManifests manifests = render("");
    List<PolicyRule> rules = manifests.one(ClusterRole.class, NAME).getRules();

    assertThat(rules).allSatisfy(ChartRbacTest::hasNoWildcardOrImpersonation);
    // Backup reads whatever a ResourceSet selects.
    assertThat(rulesGranting(rules, "list"))
        .anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("*"));
    // Restore writes whatever the archive holds; prune deletes.
    for (String verb : List.of("create", "update", "patch", "delete")) {
      assertThat(rulesGranting(rules, verb))
          .as(verb)
          .anySatisfy(
              rule -> {
                assertThat(rule.getApiGroups()).containsExactly("*");
                assertThat(rule.getResources()).containsExactly("*");
              });
    }
    // Restoring RBAC objects that grant more than the operator holds.
    assertThat(rulesGranting(rules, "escalate"))
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("rbac.authorization.k8s.io");
              assertThat(rule.getResources()).containsExactlyInAnyOrder("roles", "clusterroles");
              assertThat(rule.getVerbs()).containsExactlyInAnyOrder("escalate", "bind");
            });
    assertOwnResourcesEventsAndLease(manifests);
  }

  @Test
  void readOnlyRoleWritesOnlyItsOwnStatusEventsAndTheLease() {
    RenderedManifests manifests = render("rbac: {readOnly: true}");
    List<PolicyRule> rules = manifests.one(ClusterRole.class, NAME).getRules();

    assertThat(rules).allSatisfy(ChartRbacTest::hasNoWildcardOrImpersonation);
    assertThat(rules.stream().filter(ChartRbacTest::writes))
        .allSatisfy(
            rule ->
                assertThat(rule.getResources())
                    .isSubsetOf("backups/status", "restores/status", "events"));
    assertThat(rulesGranting(rules, "list"))
        .anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("*"));
    assertOwnResourcesEventsAndLease(manifests);
  }

  @Test
  void clusterAdminBindsRancherStyleAndCreatesNoRoles() {
    RenderedManifests manifests = render("rbac: {clusterAdmin: true}");
    ClusterRoleBinding binding = manifests.one(ClusterRoleBinding.class, NAME);

    assertThat(binding.getRoleRef().getName()).isEqualTo("cluster-admin");
    assertBindsTheOperatorServiceAccount(binding.getSubjects());
    assertThat(manifests.kinds()).doesNotContain("ClusterRole", "Role", "RoleBinding");
  }

  @Test
  void clusterAdminAndReadOnlyTogetherAreRefused() {
    Helm.Result result =
        helm.tryTemplate(OPERATOR_CHART, "rbac: {clusterAdmin: true, readOnly: true}");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("rbac.clusterAdmin and rbac.readOnly cannot both be true");
  }

  private static void assertOwnResourcesEventsAndLease(RenderedManifests manifests) {
    List<PolicyRule> rules = manifests.one(ClusterRole.class, NAME).getRules();
    assertThat(rulesGranting(rules, "watch"))
        .anySatisfy(
            rule ->
                assertThat(rule.getResources())
                    .containsExactlyInAnyOrder("backups", "restores", "resourcesets"));
    assertThat(rulesGranting(rules, "update"))
        .anySatisfy(
            rule ->
                assertThat(rule.getResources())
                    .containsExactlyInAnyOrder("backups/status", "restores/status"));
    assertThat(rulesGranting(rules, "create"))
        .anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("events"));

    Role role = manifests.one(Role.class, NAME);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(role.getRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
              assertThat(rule.getResources()).containsExactly("leases");
              assertThat(rule.getVerbs()).contains("get", "create", "update", "delete");
            });
    assertThat(role.getRules()).allSatisfy(ChartRbacTest::hasNoWildcardOrImpersonation);

    ClusterRoleBinding clusterBinding = manifests.one(ClusterRoleBinding.class, NAME);
    assertThat(clusterBinding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(NAME);
    assertBindsTheOperatorServiceAccount(clusterBinding.getSubjects());
    RoleBinding binding = manifests.one(RoleBinding.class, NAME);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertBindsTheOperatorServiceAccount(binding.getSubjects());
  }

  private static void assertBindsTheOperatorServiceAccount(List<Subject> subjects) {
    assertThat(subjects)
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo(NAME);
              assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
            });
  }

  private static boolean writes(PolicyRule rule) {
    return rule.getVerbs().stream().anyMatch(WRITE_VERBS::contains);
  }

  private static void hasNoWildcardOrImpersonation(PolicyRule rule) {
    assertThat(rule.getVerbs()).doesNotContain("*", "impersonate");
  }
}

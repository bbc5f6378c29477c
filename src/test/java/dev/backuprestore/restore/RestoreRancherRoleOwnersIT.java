package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Owner references to Rancher's GlobalRoles and RoleTemplates follow Rancher's restore rule
 * (docs/rancher-compat.md#owner-references): an object whose every other owner is already in place
 * loses all its owner references; one that still waits for an archived owner of its own scope keeps
 * them, with the live UIDs.
 */
class RestoreRancherRoleOwnersIT {
  private static final String MANAGEMENT = "management.cattle.io/v3";
  private final RestoreFixture fixture = new RestoreFixture();

  /** Rancher's cluster-scoped management.cattle.io/v3 type, fields at the top level. */
  private static ObjectNode crd(String plural, String kind) {
    return (ObjectNode)
        Json.parse(
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"%1$s.management.cattle.io"},
             "spec":{"group":"management.cattle.io","scope":"Cluster",
               "names":{"plural":"%1$s","singular":"%2$s","kind":"%3$s","listKind":"%3$sList"},
               "versions":[{"name":"v3","served":true,"storage":true,
                 "schema":{"openAPIV3Schema":{"type":"object",
                   "x-kubernetes-preserve-unknown-fields":true}}}]}}
            """
                .formatted(plural, kind.toLowerCase(), kind));
  }

  private JsonNode ownerReferences(String resource, String namespace, String name) {
    String group = resource.equals("clusterroles") ? "rbac.authorization.k8s.io" : "";
    return fixture.live(group, "v1", resource, namespace, name).at("/metadata/ownerReferences");
  }

  private String uid(String group, String version, String resource, String namespace, String name) {
    return fixture.live(group, version, resource, namespace, name).at("/metadata/uid").asText();
  }

  @Test
  void roleOwnedObjectsLoseTheirOwnerReferencesUnlessAnotherArchivedOwnerIsPending() {
    String ns = fixture.name("roles");
    String globalRole = fixture.name("gr");
    String roleTemplate = fixture.name("rt");
    String clusterRole = fixture.name("cr");
    String plainClusterRole = fixture.name("plain");
    ObjectNode gr = Json.object(MANAGEMENT, "GlobalRole", null, globalRole).put("builtin", false);
    ObjectNode rt =
        Json.object(MANAGEMENT, "RoleTemplate", null, roleTemplate).put("builtin", false);
    ObjectNode ownedClusterRole =
        Json.ownedBy(
            Json.object("rbac.authorization.k8s.io/v1", "ClusterRole", null, clusterRole),
            MANAGEMENT,
            "GlobalRole",
            globalRole);
    ObjectNode plain =
        Json.object("rbac.authorization.k8s.io/v1", "ClusterRole", null, plainClusterRole);
    TestArchive archive =
        new TestArchive()
            .add("customresourcedefinitions", crd("globalroles", "GlobalRole"))
            .add("customresourcedefinitions", crd("roletemplates", "RoleTemplate"))
            .add("globalroles", gr)
            .add("roletemplates", rt)
            .add("clusterroles", ownedClusterRole)
            .add("clusterroles", plain)
            .add("namespaces", Json.namespace(ns))
            // Only a role owner: every reference goes.
            .add(
                "configmaps",
                Json.ownedBy(
                    Json.configMap(ns, "only-role", "k", "v"),
                    MANAGEMENT,
                    "roletemplate",
                    roleTemplate))
            // A role owner and a cluster-scoped owner (already restored in the earlier phase).
            .add(
                "configmaps",
                Json.ownedBy(
                    Json.ownedBy(
                        Json.configMap(ns, "role-and-cluster-owner", "k", "v"),
                        MANAGEMENT,
                        "RoleTemplate",
                        roleTemplate),
                    "rbac.authorization.k8s.io/v1",
                    "ClusterRole",
                    plainClusterRole))
            // A role owner and an archived owner of its own phase: references kept.
            .add("configmaps", Json.configMap(ns, "parent", "k", "v"))
            .add(
                "configmaps",
                Json.ownedBy(
                    Json.ownedBy(
                        Json.configMap(ns, "role-and-parent", "k", "v"),
                        MANAGEMENT,
                        "RoleTemplate",
                        roleTemplate),
                    "v1",
                    "ConfigMap",
                    "parent"));

    RestoreResult result = fixture.restore(RestoreFixture.job("roles", archive.supplier()));

    assertThat(result.failed()).isZero();
    assertThat(ownerReferences("clusterroles", null, clusterRole).isMissingNode()).isTrue();
    assertThat(ownerReferences("configmaps", ns, "only-role").isMissingNode()).isTrue();
    assertThat(ownerReferences("configmaps", ns, "role-and-cluster-owner").isMissingNode())
        .isTrue();
    JsonNode kept = ownerReferences("configmaps", ns, "role-and-parent");
    assertThat(kept).hasSize(2);
    assertThat(kept.get(0).path("kind").asText()).isEqualTo("RoleTemplate");
    assertThat(kept.get(0).path("uid").asText())
        .isEqualTo(uid("management.cattle.io", "v3", "roletemplates", null, roleTemplate));
    assertThat(kept.get(1).path("uid").asText())
        .isEqualTo(uid("", "v1", "configmaps", ns, "parent"));
    assertThat(result.warnings()).noneMatch(w -> w.contains("ownerReference"));
  }
}

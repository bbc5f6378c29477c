package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.OPERATOR_CHART;
import static dev.backuprestore.chart.SelectorSemantics.Item.clusterScoped;
import static dev.backuprestore.chart.SelectorSemantics.Item.namespaced;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.re2j.Pattern;
import dev.backuprestore.api.v1.ResourceSelector;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.chart.SelectorSemantics.Item;
import dev.backuprestore.testing.RancherReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ResourceSets the chart ships: the generic one, and Rancher's presets selector for selector.
 */
class ChartResourceSetsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FILES = OPERATOR_CHART.resolve("files");
  private static final Map<String, String> OPERATOR_LABEL =
      Map.of("resources.cattle.io/operator", "backup-restore");

  private final Helm helm = Helm.located();

  private RenderedManifests render(String values) {
    return RenderedManifests.parse(helm.template(OPERATOR_CHART, values));
  }

  private static List<ResourceSelector> genericSelectors;

  /** Rendered once: the parameterized cases below all look at the same defaults. */
  @BeforeAll
  static void renderDefaults() {
    genericSelectors =
        RenderedManifests.parse(Helm.located().template(OPERATOR_CHART, ""))
            .one(ResourceSet.class, "backup-restore-generic")
            .getResourceSelectors();
  }

  static Stream<Arguments> genericSelection() {
    return Stream.of(
        // What a cluster needs to get its applications back.
        selected(clusterScoped("v1", "Namespace", "namespaces", "shop")),
        selected(namespaced("v1", "ConfigMap", "configmaps", "shop", "settings")),
        selected(namespaced("v1", "ServiceAccount", "serviceaccounts", "shop", "robot")),
        selected(namespaced("v1", "Service", "services", "shop", "web")),
        selected(namespaced("v1", "Service", "services", "default", "web")),
        selected(namespaced("v1", "ResourceQuota", "resourcequotas", "shop", "quota")),
        selected(namespaced("v1", "LimitRange", "limitranges", "shop", "limits")),
        selected(namespaced("apps/v1", "Deployment", "deployments", "shop", "web")),
        selected(namespaced("apps/v1", "StatefulSet", "statefulsets", "shop", "db")),
        selected(namespaced("apps/v1", "DaemonSet", "daemonsets", "monitoring", "agent")),
        selected(namespaced("apps/v1", "Deployment", "deployments", "kube", "four-letter-ns")),
        selected(namespaced("apps/v1", "Deployment", "deployments", "kubeflow", "pipelines")),
        selected(namespaced("batch/v1", "CronJob", "cronjobs", "shop", "report")),
        selected(
            namespaced(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscalers",
                "shop",
                "web")),
        selected(
            namespaced("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", "shop", "web")),
        selected(namespaced("networking.k8s.io/v1", "Ingress", "ingresses", "shop", "web")),
        selected(
            namespaced(
                "networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", "shop", "deny-all")),
        selected(namespaced("rbac.authorization.k8s.io/v1", "Role", "roles", "shop", "reader")),
        selected(
            namespaced(
                "rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", "shop", "reader")),
        selected(
            clusterScoped(
                "rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", "shop-reader")),
        selected(
            clusterScoped(
                "rbac.authorization.k8s.io/v1",
                "ClusterRoleBinding",
                "clusterrolebindings",
                "shop-reader")),
        selected(clusterScoped("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", "high")),
        selected(
            clusterScoped(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "customresourcedefinitions",
                "certificates.cert-manager.io")),
        selected(clusterScoped("resources.cattle.io/v1", "ResourceSet", "resourcesets", "mine")),
        // Secrets only when labelled, in any namespace.
        selected(
            namespaced("v1", "Secret", "secrets", "shop", "db-password")
                .withLabels(Map.of("resources.cattle.io/backup", "true"))),
        selected(
            namespaced("v1", "Secret", "secrets", "kube-system", "labelled")
                .withLabels(Map.of("resources.cattle.io/backup", "true"))),
        left(namespaced("v1", "Secret", "secrets", "shop", "db-password")),
        left(
            namespaced("v1", "Secret", "secrets", "shop", "token")
                .withLabels(Map.of("resources.cattle.io/backup", "false"))),
        // What the cluster regenerates.
        left(namespaced("v1", "Pod", "pods", "shop", "web-1")),
        left(namespaced("apps/v1", "ReplicaSet", "replicasets", "shop", "web-5d4f")),
        left(namespaced("apps/v1", "ControllerRevision", "controllerrevisions", "shop", "db-1")),
        left(namespaced("v1", "Endpoints", "endpoints", "shop", "web")),
        left(namespaced("discovery.k8s.io/v1", "EndpointSlice", "endpointslices", "shop", "web")),
        left(namespaced("v1", "Event", "events", "shop", "web.1")),
        left(namespaced("events.k8s.io/v1", "Event", "events", "shop", "web.1")),
        left(namespaced("coordination.k8s.io/v1", "Lease", "leases", "shop", "leader")),
        left(clusterScoped("v1", "Node", "nodes", "node-1")),
        left(namespaced("batch/v1", "Job", "jobs", "shop", "migrate")),
        left(namespaced("v1", "ConfigMap", "configmaps", "shop", "kube-root-ca.crt")),
        left(namespaced("v1", "ServiceAccount", "serviceaccounts", "shop", "default")),
        left(namespaced("v1", "Service", "services", "default", "kubernetes")),
        // Volumes and the provider's infrastructure.
        left(namespaced("v1", "PersistentVolumeClaim", "persistentvolumeclaims", "shop", "data")),
        left(clusterScoped("v1", "PersistentVolume", "persistentvolumes", "pv-1")),
        left(clusterScoped("storage.k8s.io/v1", "StorageClass", "storageclasses", "fast")),
        left(
            clusterScoped(
                "admissionregistration.k8s.io/v1",
                "ValidatingWebhookConfiguration",
                "validatingwebhookconfigurations",
                "policy")),
        left(clusterScoped("apiregistration.k8s.io/v1", "APIService", "apiservices", "v1.metrics")),
        // System namespaces and Kubernetes' bootstrap policy.
        left(clusterScoped("v1", "Namespace", "namespaces", "kube-system")),
        left(clusterScoped("v1", "Namespace", "namespaces", "kube-node-lease")),
        left(clusterScoped("v1", "Namespace", "namespaces", "default")),
        left(namespaced("apps/v1", "Deployment", "deployments", "kube-system", "coredns")),
        left(namespaced("v1", "ConfigMap", "configmaps", "kube-public", "cluster-info")),
        left(namespaced("rbac.authorization.k8s.io/v1", "Role", "roles", "kube-system", "x")),
        left(
            clusterScoped(
                "rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", "system:node")),
        left(clusterScoped("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", "admin")),
        left(
            clusterScoped(
                "rbac.authorization.k8s.io/v1",
                "ClusterRoleBinding",
                "clusterrolebindings",
                "cluster-admin")),
        left(
            clusterScoped(
                "scheduling.k8s.io/v1",
                "PriorityClass",
                "priorityclasses",
                "system-cluster-critical")),
        // The operator's own API and objects.
        left(
            clusterScoped(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "customresourcedefinitions",
                "backups.resources.cattle.io")),
        left(clusterScoped("resources.cattle.io/v1", "Backup", "backups", "nightly")),
        left(clusterScoped("resources.cattle.io/v1", "Restore", "restores", "restore-1")),
        left(
            clusterScoped("resources.cattle.io/v1", "ResourceSet", "resourcesets", "generic")
                .withLabels(OPERATOR_LABEL)),
        left(
            namespaced(
                    "apps/v1",
                    "Deployment",
                    "deployments",
                    "cattle-resources-system",
                    "backup-restore-operator")
                .withLabels(OPERATOR_LABEL)),
        left(
            namespaced(
                    "v1",
                    "ServiceAccount",
                    "serviceaccounts",
                    "cattle-resources-system",
                    "backup-restore-operator")
                .withLabels(OPERATOR_LABEL)),
        left(
            clusterScoped(
                    "rbac.authorization.k8s.io/v1",
                    "ClusterRole",
                    "clusterroles",
                    "backup-restore-operator")
                .withLabels(OPERATOR_LABEL)));
  }

  private static Arguments selected(Item item) {
    return Arguments.of(item, true);
  }

  private static Arguments left(Item item) {
    return Arguments.of(item, false);
  }

  @ParameterizedTest(name = "{0} selected: {1}")
  @MethodSource("genericSelection")
  void genericResourceSetSelectsApplicationsAndLeavesWhatTheClusterRegenerates(
      Item item, boolean expected) {
    assertThat(SelectorSemantics.selectedByAny(genericSelectors, item)).isEqualTo(expected);
  }

  @Test
  void genericResourceSetUsesRancherFieldsWithValidRe2Expressions() {
    List<ResourceSelector> selectors = genericSelectors;

    assertThat(selectors).hasSizeGreaterThan(10);
    for (ResourceSelector selector : selectors) {
      assertThat(selector.getApiVersion()).isNotBlank();
      // Every selector names its kinds: an empty kind filter would take every kind of the group.
      assertThat(selector.getKindsRegexp()).isNotBlank();
      Stream.of(
              selector.getKindsRegexp(),
              selector.getResourceNameRegexp(),
              selector.getExcludeResourceNameRegexp(),
              selector.getNamespaceRegexp())
          .filter(regexp -> regexp != null)
          .forEach(Pattern::compile);
    }
  }

  @Test
  void additionalSelectorsAreAppendedToTheGenericResourceSet() {
    ResourceSet generic =
        render(
                """
                resourceSets:
                  generic:
                    additionalSelectors:
                      - apiVersion: cert-manager.io/v1
                        kindsRegexp: "."
                """)
            .one(ResourceSet.class, "backup-restore-generic");

    ResourceSelector last =
        generic.getResourceSelectors().get(generic.getResourceSelectors().size() - 1);
    assertThat(last.getApiVersion()).isEqualTo("cert-manager.io/v1");
    assertThat(
            SelectorSemantics.selectedByAny(
                generic.getResourceSelectors(),
                namespaced("cert-manager.io/v1", "Certificate", "certificates", "shop", "web")))
        .isTrue();
  }

  @Test
  void resourceSetsAreSwitchedByValues() {
    // Rancher's two are on by default, as in Rancher's chart: a Backup migrated from Rancher
    // Backups
    // names one of them.
    assertThat(render("").all(ResourceSet.class))
        .extracting(set -> set.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "backup-restore-generic", "rancher-resource-set-basic", "rancher-resource-set-full");
    assertThat(render("resourceSets: {rancher: {enabled: false}}").all(ResourceSet.class))
        .extracting(set -> set.getMetadata().getName())
        .containsExactly("backup-restore-generic");
    assertThat(
            render("resourceSets: {generic: {enabled: false}, rancher: {enabled: false}}")
                .all(ResourceSet.class))
        .isEmpty();
  }

  @Test
  void rancherPresetsHoldExactlyRancherSelectorFiles() throws IOException {
    RenderedManifests manifests = render("resourceSets: {rancher: {enabled: true}}");

    assertSelectors(
        manifests.one(ResourceSet.class, "rancher-resource-set-basic"),
        selectorFiles("default/basic-resourceset-contents"));
    assertSelectors(
        manifests.one(ResourceSet.class, "rancher-resource-set-full"),
        concat(
            selectorFiles("default/basic-resourceset-contents"),
            selectorFiles("default/sensitive-resourceset-contents")));
    for (String name : List.of("rancher-resource-set-basic", "rancher-resource-set-full")) {
      assertThat(manifests.one(ResourceSet.class, name).getControllerReferences())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
                assertThat(ref.getResource()).isEqualTo("deployments");
                assertThat(ref.getNamespace()).isEqualTo("cattle-system");
                assertThat(ref.getName()).isEqualTo("rancher");
              });
    }
  }

  @Test
  void optionalKubewardenContentIsAddedOnlyWhenEnabled() throws IOException {
    RenderedManifests manifests =
        render(
            "resourceSets: {rancher: {enabled: true}}\n"
                + "optionalResources: {kubewarden: {enabled: true}}");

    assertSelectors(
        manifests.one(ResourceSet.class, "rancher-resource-set-basic"),
        concat(
            selectorFiles("default/basic-resourceset-contents"),
            selectorFiles("optional/basic-resourceset-contents")));
    assertSelectors(
        manifests.one(ResourceSet.class, "rancher-resource-set-full"),
        concat(
            selectorFiles("default/basic-resourceset-contents"),
            selectorFiles("default/sensitive-resourceset-contents"),
            selectorFiles("optional/basic-resourceset-contents"),
            selectorFiles("optional/sensitive-resourceset-contents")));
  }

  @Test
  void chartFilesAreRancherFilesUnchanged() throws IOException {
    Path rancher = RancherReferenceData.dir("resourcesets");
    List<Path> ours;
    try (Stream<Path> files = Files.walk(FILES)) {
      ours = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    List<Path> theirs;
    try (Stream<Path> files = Files.walk(rancher)) {
      theirs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }

    assertThat(ours.stream().map(f -> FILES.relativize(f).toString()))
        .containsExactlyElementsOf(
            theirs.stream().map(f -> rancher.relativize(f).toString()).toList());
    for (Path file : ours) {
      assertThat(file).hasSameBinaryContentAs(rancher.resolve(FILES.relativize(file).toString()));
    }
    assertThat(FILES.resolve("NOTICE")).content().contains("Apache License, Version 2.0");
  }

  private static void assertSelectors(ResourceSet set, ArrayNode expected) {
    JsonNode actual = JSON.valueToTree(set.getResourceSelectors());
    assertThat(expected.size()).isGreaterThan(0);
    assertThat(actual).isEqualTo(JSON.valueToTree(typed(expected)));
  }

  /** Through the typed class, so that both sides are serialized the same way. */
  private static List<ResourceSelector> typed(ArrayNode selectors) {
    List<ResourceSelector> typed = new ArrayList<>();
    for (JsonNode selector : selectors) {
      typed.add(JSON.convertValue(selector, ResourceSelector.class));
    }
    return typed;
  }

  /** The selectors of every file of a directory under files/, in file-name order (Helm's). */
  private static ArrayNode selectorFiles(String dir) throws IOException {
    ArrayNode all = JSON.createArrayNode();
    List<Path> files;
    try (Stream<Path> list = Files.list(FILES.resolve(dir))) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      all.addAll((ArrayNode) YAML.readTree(file.toFile()));
    }
    return all;
  }

  private static ArrayNode concat(ArrayNode... parts) {
    ArrayNode all = JSON.createArrayNode();
    for (ArrayNode part : parts) {
      all.addAll(part);
    }
    return all;
  }
}

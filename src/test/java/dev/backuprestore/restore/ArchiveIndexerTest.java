package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.crypto.DecryptionException;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveIndexerTest {
  private static final String FILTERS =
      """
      {"metadata":{"name":"rancher-resource-set"},
       "resourceSelectors":[{"apiVersion":"v1","kindsRegexp":"^configmaps$","namespaces":["a"]}],
       "controllerReferences":[{"apiVersion":"apps/v1","resource":"deployments",
                                "namespace":"cattle-system","name":"rancher"}]}
      """;

  private final ArchiveIndexer indexer = new ArchiveIndexer();

  private RestorePlan index(byte[] archive) throws IOException {
    return indexer.index(new ByteArrayInputStream(archive), ObjectCipher.none());
  }

  @Test
  void indexesPathsKindsOwnersAndFilters() throws IOException {
    ObjectNode replicaSet =
        Json.ownedBy(
            Json.object("apps/v1", "ReplicaSet", "a", "web-1"), "apps/v1", "Deployment", "web");
    byte[] archive =
        new TestArchive()
            .filters(FILTERS)
            .add("namespaces", Json.namespace("a"))
            .add("configmaps", Json.configMap("a", "settings", "k", "v"))
            .add("deployments", Json.object("apps/v1", "Deployment", "a", "web"))
            .add("replicasets", replicaSet)
            .bytes();

    RestorePlan plan = index(archive);

    assertThat(plan.objects())
        .extracting(o -> o.path().path())
        .containsExactly(
            "namespaces.#v1/a.json",
            "configmaps.#v1/a/settings.json",
            "deployments.apps#v1/a/web.json",
            "replicasets.apps#v1/a/web-1.json");
    assertThat(plan.objects())
        .extracting(PlannedObject::kind)
        .containsExactly("Namespace", "ConfigMap", "Deployment", "ReplicaSet");
    assertThat(plan.objects().get(3).owners())
        .containsExactly(new OwnerRef("apps/v1", "Deployment", "web"));
    assertThat(plan.findOwner(new OwnerRef("apps/v1", "Deployment", "web"), "a"))
        .contains(plan.objects().get(2));
    assertThat(plan.filters().present()).isTrue();
    assertThat(plan.filters().resourceSelectors())
        .singleElement()
        .satisfies(s -> assertThat(s.getNamespaces()).containsExactly("a"));
    assertThat(plan.filters().controllerReferences())
        .singleElement()
        .satisfies(c -> assertThat(c.getName()).isEqualTo("rancher"));
    assertThat(plan.archivedNamespaces()).containsExactly("a");
    assertThat(plan.usedNamespaces()).containsExactly("a");
    assertThat(plan.contains(new ObjectPath("", "v1", "configmaps", "a", "settings"))).isTrue();
    assertThat(plan.contains(new ObjectPath("", "v1", "configmaps", "a", "other"))).isFalse();
  }

  @Test
  void aRepeatedObjectEntryOrFiltersFileFailsTheIndex() {
    String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}";
    byte[] objectTwice =
        TestArchive.rawTarGz(
            TestArchive.entries(
                TestArchive.RawEntry.file("configmaps.#v1/a/c.json", cm),
                TestArchive.RawEntry.file("configmaps.#v1/a/d.json", cm.replace("\"c\"", "\"d\"")),
                TestArchive.RawEntry.file("configmaps.#v1/a/c.json", cm)));
    byte[] filtersTwice =
        TestArchive.rawTarGz(
            TestArchive.entries(
                TestArchive.RawEntry.file("filters/filters.json", FILTERS),
                TestArchive.RawEntry.file("filters/filters.json", FILTERS)));

    assertThatThrownBy(() -> index(objectTwice))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessage("archive entry 'configmaps.#v1/a/c.json': duplicate entry");
    assertThatThrownBy(() -> index(filtersTwice))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessageContaining("'filters/filters.json'")
        .hasMessageContaining("duplicate entry");
  }

  @Test
  void acceptsArchivesWithoutFiltersAndGnuTarDirectoriesWithSlash() throws IOException {
    byte[] archive =
        TestArchive.rawTarGz(
            TestArchive.entries(
                TestArchive.RawEntry.directory("configmaps.#v1/"),
                TestArchive.RawEntry.directory("configmaps.#v1/a/"),
                TestArchive.RawEntry.file(
                    "configmaps.#v1/a/x.json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}")));

    RestorePlan plan = index(archive);

    assertThat(plan.filters().present()).isFalse();
    assertThat(plan.objects())
        .singleElement()
        .satisfies(o -> assertThat(o.path().namespace()).isEqualTo("a"));
  }

  @Test
  void onlyTheFiltersFileIsSpecial() throws IOException {
    // Rancher skipped every path containing "filters"; a resource named so is restored here.
    byte[] archive =
        new TestArchive().add("configmaps", Json.configMap("a", "filters", "k", "v")).bytes();

    assertThat(index(archive).objects())
        .extracting(o -> o.path().name())
        .containsExactly("filters");
  }

  @Test
  void recordsStatusSubresourcesOfArchivedCrds() throws IOException {
    ObjectNode v1 =
        (ObjectNode)
            Json.parse(
                """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","names":{"plural":"widgets","kind":"Widget"},
                   "scope":"Namespaced",
                   "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}}},
                               {"name":"v2","served":true,"storage":false}]}}
                """);
    ObjectNode v1beta1 =
        (ObjectNode)
            Json.parse(
                """
                {"apiVersion":"apiextensions.k8s.io/v1beta1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"gadgets.example.com"},
                 "spec":{"group":"example.com","names":{"plural":"gadgets","kind":"Gadget"},
                   "version":"v1alpha1","subresources":{"status":{}}}}
                """);
    RestorePlan plan =
        index(
            new TestArchive()
                .add("customresourcedefinitions", v1)
                .add("customresourcedefinitions", v1beta1)
                .bytes());

    assertThat(plan.crds()).hasSize(2);
    assertThat(plan.hasStatusSubresource(new ObjectPath("example.com", "v1", "widgets", "a", "w")))
        .isTrue();
    assertThat(plan.hasStatusSubresource(new ObjectPath("example.com", "v2", "widgets", "a", "w")))
        .isFalse();
    assertThat(
            plan.hasStatusSubresource(
                new ObjectPath("example.com", "v1alpha1", "gadgets", null, "g")))
        .isTrue();
  }

  @Test
  void decryptsSealedEntries() throws IOException {
    ObjectCipher cipher = ObjectCipher.of(EncryptionConfig.parse(EncryptionConfigs.AESGCM));
    ObjectNode secret = Json.object("v1", "Secret", "a", "token");
    secret.putObject("data").put("password", "c2VjcmV0");
    byte[] archive = new TestArchive().sealedWith(cipher).add("secrets", secret).bytes();

    RestorePlan plan = indexer.index(new ByteArrayInputStream(archive), cipher);

    assertThat(plan.objects()).singleElement().extracting(PlannedObject::kind).isEqualTo("Secret");
    assertThatThrownBy(() -> index(archive))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("archive entry 'secrets.#v1/a/token.json'")
        .hasMessageContaining("provide same encryption config as used for backup");
  }

  @Test
  void rejectsBodiesThatDoNotMatchTheirPath() {
    assertBad(
        "configmaps.#v1/a/x.json",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}",
        "apiVersion 'apps/v1' does not match the type directory 'configmaps.#v1'");
    assertBad(
        "configmaps.#v1/a/x.json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"y\"}}",
        "metadata.name 'y' does not match the path ('x')");
    assertBad(
        "configmaps.#v1/a/x.json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"b\"}}",
        "metadata.namespace 'b' does not match the path ('a')");
    assertBad("configmaps.#v1/a/x.json", "{\"apiVersion\":\"v1\",\"metadata\":{}}", "no kind");
    assertBad(
        "configmaps.#v1/a/x.json", "{\"kind\":\"ConfigMap\",\"metadata\":{}}", "no apiVersion");
    assertBad(
        "configmaps.#v1/a/x.json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}", "no metadata");
    assertBad(
        "configmaps.#v1/a/x.json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"ownerReferences\":[{\"kind\":\"X\"}]}}",
        "metadata.ownerReferences[0] needs apiVersion, kind and name");
    assertBad("configmaps.#v1/a/x.json", "[1,2]", "JSON array instead of an object");
    assertBad("configmaps.#v1/a/x.json", "{\"apiVersion\":", "truncated JSON");
    assertBad("configmaps.#v1/a/x.json", "{} trailing", "not valid JSON");
  }

  @Test
  void parseErrorsDoNotQuoteTheContent() {
    assertThatThrownBy(
            () -> index(new TestArchive().file("secrets.#v1/a/x.json", "hunter2-password").bytes()))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessageContaining("archive entry 'secrets.#v1/a/x.json': not valid JSON at line 1")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void rejectsInvalidFilters() {
    assertBad(
        "filters/filters.json", "{\"resourceSelectors\":{}}", "resourceSelectors is not an array");
    assertBad(
        "filters/filters.json",
        "{\"controllerReferences\":[{\"apiVersion\":\"apps/v1\",\"name\":\"x\"}]}",
        "controllerReferences[0] needs apiVersion, resource, namespace and name");
    assertBad(
        "filters/filters.json",
        "{\"resourceSelectors\":[{\"kinds\":\"not-a-list\"}]}",
        "resourceSelectors[0] is not valid");
  }

  @Test
  void keepsEveryArchivedPathForPruneIncludingSkippedOnes() throws IOException {
    ObjectNode builtin = Json.object("management.cattle.io/v3", "GlobalRole", null, "admin");
    builtin.put("builtin", true);
    RestorePlan plan = index(new TestArchive().add("globalroles", builtin).bytes());

    assertThat(
            plan.contains(
                new ObjectPath("management.cattle.io", "v3", "globalroles", null, "admin")))
        .isTrue();
  }

  private void assertBad(String path, String content, String reason) {
    byte[] archive = new TestArchive().file(path, content.getBytes(StandardCharsets.UTF_8)).bytes();
    assertThatThrownBy(() -> index(archive))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessageStartingWith("archive entry '" + path + "': ")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((ArchiveFormatException) e).isPermanent()).isTrue());
  }

  static List<String> paths(RestorePlan plan) {
    return plan.objects().stream().map(o -> o.path().path()).toList();
  }
}

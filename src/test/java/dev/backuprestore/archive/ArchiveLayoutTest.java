package dev.backuprestore.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchiveLayoutTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "''                      | v1 | secrets                   | secrets.#v1",
        "''                      | v1 | namespaces                | namespaces.#v1",
        "apps                    | v1 | deployments               | deployments.apps#v1",
        "apiextensions.k8s.io    | v1 | customresourcedefinitions | customresourcedefinitions.apiextensions.k8s.io#v1",
        "management.cattle.io    | v3 | users                     | users.management.cattle.io#v3",
      })
  void typeDirectoryIsPluralDotGroupHashVersion(
      String group, String version, String resource, String expected) {
    assertThat(ArchiveLayout.typeDirectory(group, version, resource)).isEqualTo(expected);
  }

  @Test
  void namespacedAndClusterScopedObjectPaths() {
    assertThat(ArchiveLayout.object("", "v1", "secrets", "cattle-system", "foo").path())
        .isEqualTo("secrets.#v1/cattle-system/foo.json");
    assertThat(
            ArchiveLayout.object(
                    "apiextensions.k8s.io", "v1", "customresourcedefinitions", null, "a.b.io")
                .path())
        .isEqualTo("customresourcedefinitions.apiextensions.k8s.io#v1/a.b.io.json");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "secrets.#v1/cattle-system/foo.json                         | ''                   | v1 | secrets  | cattle-system | foo",
        "clusters.management.cattle.io#v3/local.json                | management.cattle.io | v3 | clusters | null          | local",
        "roles.rbac.authorization.k8s.io#v1/ns/system:controller:x.json | rbac.authorization.k8s.io | v1 | roles | ns | system:controller:x",
        "configmaps.#v1/filters/filters.json                        | ''                   | v1 | configmaps | filters     | filters",
        "things.example.com#v1alpha1/x.json.json                    | example.com          | v1alpha1 | things | null   | x.json",
        "filters.#v1/a.json                                         | ''                   | v1 | filters  | null          | a",
      })
  void parsesObjectPathsBackIntoParts(
      String path, String group, String version, String resource, String namespace, String name) {
    ObjectPath parsed = ArchiveLayout.parseObjectPath(path);
    assertThat(parsed).isEqualTo(new ObjectPath(group, version, resource, namespace, name));
    assertThat(parsed.path()).isEqualTo(path);
    assertThat(parsed.isNamespaced()).isEqualTo(namespace != null);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "../secrets.#v1/x.json                   | '..' segment escapes the archive root",
        "secrets.#v1/../../etc/passwd.json        | '..' segment escapes the archive root",
        "/secrets.#v1/x.json                     | absolute path",
        "./secrets.#v1/x.json                    | path starts with './'",
        "secrets.#v1/./x.json                    | '.' segment",
        "secrets.#v1//x.json                     | empty path segment",
        "secrets.#v1/a/b/x.json                  | too many path segments (4)",
        "x.json                                  | not inside a type directory",
        "secrets#v1/x.json                       | unknown layout: type directory 'secrets#v1'",
        "secrets.v1/x.json                       | unknown layout: type directory 'secrets.v1'",
        "secrets.#/x.json                        | unknown layout: type directory 'secrets.#'",
        ".#v1/x.json                             | unknown layout: type directory '.#v1'",
        "a.b#c#v1/x.json                         | unknown layout: type directory 'a.b#c#v1'",
        "secrets.#v1/x.yaml                      | object file is not <name>.json",
        "secrets.#v1/ns/.json                    | object file is not <name>.json",
        "filters/other.json                      | unknown layout: type directory 'filters'",
        "filters/filters.json/x.json             | unknown layout: type directory 'filters'",
        "''                                      | empty path",
      })
  void rejectsBadPathsNamingPathAndReason(String path, String reason) {
    assertThatThrownBy(() -> ArchiveLayout.parseObjectPath(path))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessageStartingWith("archive entry '" + path + "': ")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((ArchiveFormatException) e).isPermanent()).isTrue());
  }

  @Test
  void onlyTheExactFiltersFileIsSpecial() {
    assertThat(ArchiveLayout.isFiltersFile("filters/filters.json")).isTrue();
    assertThat(ArchiveLayout.isFiltersFile("./filters/filters.json")).isFalse();
    assertThat(ArchiveLayout.isFiltersFile("secrets.#v1/filters/filters.json")).isFalse();
    assertThat(ArchiveLayout.isFiltersFile("filters/filters.json.bak")).isFalse();
  }

  @Test
  void directoryPathsMayEndWithOneSlashButMustBeSafe() {
    ArchiveLayout.checkDirectoryPath("secrets.#v1");
    ArchiveLayout.checkDirectoryPath("secrets.#v1/");
    ArchiveLayout.checkDirectoryPath("secrets.#v1/ns/");
    ArchiveLayout.checkDirectoryPath("filters/");
    assertThatThrownBy(() -> ArchiveLayout.checkDirectoryPath("../x/"))
        .isInstanceOf(ArchiveFormatException.class);
    assertThatThrownBy(() -> ArchiveLayout.checkDirectoryPath("./"))
        .isInstanceOf(ArchiveFormatException.class);
    assertThatThrownBy(() -> ArchiveLayout.checkDirectoryPath("/"))
        .isInstanceOf(ArchiveFormatException.class);
    assertThatThrownBy(() -> ArchiveLayout.checkDirectoryPath("a//"))
        .isInstanceOf(ArchiveFormatException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "''   | v1   | ''      | null | x",
        "''   | v1   | se.cret | null | x",
        "''   | ''   | secrets | null | x",
        "''   | v1.2 | secrets | null | x",
        "a#b  | v1   | secrets | null | x",
        "''   | v1   | secrets | ''   | x",
        "''   | v1   | secrets | ..   | x",
        "''   | v1   | secrets | null | a/b",
        "''   | v1   | secrets | null | ..",
        "''   | v1   | secrets | null | ''",
      })
  void refusesToBuildPathsItCouldNotReadBack(
      String group, String version, String resource, String namespace, String name) {
    assertThatThrownBy(() -> ArchiveLayout.object(group, version, resource, namespace, name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void controlCharactersInEntryNamesAreEscapedInMessages() {
    assertThatThrownBy(() -> ArchiveLayout.parseObjectPath("bad\u001b[31m/x.json"))
        .hasMessageContaining("bad\\u001b[31m");
  }
}

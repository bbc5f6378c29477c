package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3ObjectKeysTest {

  @ParameterizedTest(name = "folder [{0}] -> key [{1}]")
  @CsvSource(
      value = {
        "'', f.tar.gz",
        "backups, backups/f.tar.gz",
        "backups/, backups/f.tar.gz",
        "backups//, backups/f.tar.gz",
        "/backups, backups/f.tar.gz",
        "//a/b/, a/b/f.tar.gz",
        "/, f.tar.gz",
      })
  void keyTrimsSlashesLikeRancher(String folder, String key) {
    assertThat(S3ObjectKeys.key(folder, "f.tar.gz")).isEqualTo(key);
  }

  @ParameterizedTest(name = "folder [{0}] -> prefix [{1}]")
  @CsvSource(value = {"'', ''", "/, ''", "backups, backups/", "/a/b/, a/b/"})
  void listPrefixEndsWithASlash(String folder, String prefix) {
    assertThat(S3ObjectKeys.listPrefix(folder)).isEqualTo(prefix);
  }

  @ParameterizedTest(name = "folder [{0}]")
  @CsvSource(value = {"''", "backups", "/a/b/"})
  void listedKeysMapBackToTheSameKey(String folder) {
    String key = S3ObjectKeys.key(folder, "n-uid-2024-06-01T00-00-00Z.tar.gz");
    String name = S3ObjectKeys.fileName(S3ObjectKeys.listPrefix(folder), key);
    assertThat(name).isEqualTo("n-uid-2024-06-01T00-00-00Z.tar.gz");
    assertThat(S3ObjectKeys.key(folder, name)).isEqualTo(key);
  }
}

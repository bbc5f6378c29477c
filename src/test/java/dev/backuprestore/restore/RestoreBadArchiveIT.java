package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.OperatorException;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad archives fail the restore before anything in the cluster changes
 * (docs/rancher-compat.md#diff-strict-reader, #diff-permanent-errors, #diff-filters-path): each
 * with its own clear, permanent error, and the test namespace, its objects and its controller
 * (which a restore would scale down) keep their resourceVersions. Every archive starts with valid
 * objects that a careless restore would already have applied.
 */
class RestoreBadArchiveIT {
  private static final RestoreFixture FIXTURE = new RestoreFixture();
  private static final String NS = FIXTURE.name("bad");
  private static final ObjectCipher AESGCM = cipher(EncryptionConfigs.AESGCM);

  @BeforeAll
  static void createNamespaceWithAController() {
    FIXTURE.createNamespace(NS);
    FIXTURE.create("deployments", RestoreFixture.deployment(NS, "controller", 2));
    FIXTURE.create("configmaps", Json.configMap(NS, "existing", "k", "live"));
  }

  static Stream<Arguments> badArchives() {
    return BadArchiveCorpus.all(NS).stream()
        .map(
            bad ->
                Arguments.of(
                    bad.description(),
                    bad.archive(),
                    bad.config() == null
                        ? AESGCM
                        : bad.config() == BadArchiveCorpus.NO_CONFIG
                            ? ObjectCipher.none()
                            : ObjectCipher.of(EncryptionConfig.parse(bad.config())),
                    bad.type(),
                    bad.message()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArchives")
  void failsBeforeChangingTheCluster(
      String description,
      byte[] archive,
      ObjectCipher cipher,
      Class<? extends OperatorException> type,
      String message) {
    Map<String, String> before = FIXTURE.snapshot(NS);
    RestoreJob job =
        RestoreFixture.job("bad", () -> new ByteArrayInputStream(archive))
            .withCipher(cipher == null ? AESGCM : cipher);

    Throwable failure = catchThrowable(() -> FIXTURE.runner.run(job));

    assertThat(failure).isInstanceOf(type).hasMessageContaining(message);
    assertThat(((OperatorException) failure).isPermanent()).isTrue();
    assertThat(FIXTURE.snapshot(NS)).isEqualTo(before);
    assertThat(FIXTURE.get("", "v1", "configmaps", NS, "new")).isEmpty();
  }

  private static ObjectCipher cipher(byte[] config) {
    return ObjectCipher.of(EncryptionConfig.parse(config));
  }
}

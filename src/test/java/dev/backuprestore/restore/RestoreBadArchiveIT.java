package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.crypto.DecryptionException;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.restore.TestArchive.RawEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
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

  /** The valid beginning of every bad archive: filters naming the controller, two objects. */
  private static TestArchive validStart() {
    return new TestArchive()
        .filters(RestoreFixture.filters(List.of(NS), RestoreFixture.controller(NS, "controller")))
        .add("configmaps", Json.configMap(NS, "existing", "k", "from-archive"))
        .add("configmaps", Json.configMap(NS, "new", "k", "v"));
  }

  /** The valid start and one more entry, written without the writer's checks. */
  private static byte[] withEntry(String path, String content) {
    return raw(rawStart(), RawEntry.file(path, content));
  }

  private static List<RawEntry> rawStart() {
    return List.of(
        RawEntry.file(
            "filters/filters.json",
            RestoreFixture.filters(List.of(NS), RestoreFixture.controller(NS, "controller"))),
        RawEntry.file(
            "configmaps.#v1/" + NS + "/existing.json",
            json(Json.configMap(NS, "existing", "k", "x"))),
        RawEntry.file(
            "configmaps.#v1/" + NS + "/new.json", json(Json.configMap(NS, "new", "k", "v"))));
  }

  private static String json(ObjectNode object) {
    return new String(ArchiveJson.write(object), StandardCharsets.UTF_8);
  }

  static Stream<Arguments> badArchives() {
    byte[] valid = validStart().bytes();
    byte[] validTar = gunzip(valid);
    String object = "configmaps.#v1/" + NS + "/zz.json";
    String configMap =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"zz\"}}";
    ObjectNode secret = Json.object("v1", "Secret", NS, "sealed");
    byte[] sealed = validStart().sealedWith(AESGCM).add("secrets", secret).bytes();
    List<RawEntry> rawStart = rawStart();
    return Stream.of(
        bad(
            "not gzip",
            "just some text".getBytes(StandardCharsets.UTF_8),
            null,
            ArchiveFormatException.class,
            "not a gzip stream"),
        bad(
            "truncated gzip",
            Arrays.copyOf(valid, valid.length / 2),
            null,
            ArchiveFormatException.class,
            "truncated gzip stream"),
        bad(
            "trailing bytes after gzip",
            concat(valid, "garbage".getBytes(StandardCharsets.UTF_8)),
            null,
            ArchiveFormatException.class,
            "trailing data after the gzip stream"),
        bad(
            "truncated tar",
            TestArchive.gzip(Arrays.copyOf(validTar, 1024 + 700)),
            null,
            ArchiveFormatException.class,
            "truncated tar"),
        bad(
            "garbage JSON",
            withEntry(object, "{\"apiVersion\": nonsense"),
            null,
            ArchiveFormatException.class,
            "archive entry '" + object + "': not valid JSON at line 1"),
        bad(
            "truncated JSON",
            withEntry(object, "{\"apiVersion\":\"v1\","),
            null,
            ArchiveFormatException.class,
            "archive entry '" + object + "': truncated JSON"),
        bad(
            "JSON array",
            withEntry(object, "[]"),
            null,
            ArchiveFormatException.class,
            "archive entry '" + object + "': JSON array instead of an object"),
        bad(
            "empty entry",
            raw(rawStart, RawEntry.file(object, "")),
            null,
            ArchiveFormatException.class,
            "archive entry '" + object + "': empty entry"),
        bad(
            "unknown directory format",
            withEntry("configmaps/" + NS + "/zz.json", configMap),
            null,
            ArchiveFormatException.class,
            "unknown layout: type directory 'configmaps'"),
        bad(
            "too deep",
            withEntry("configmaps.#v1/" + NS + "/extra/zz.json", configMap),
            null,
            ArchiveFormatException.class,
            "too many path segments"),
        bad(
            "not .json",
            withEntry("configmaps.#v1/" + NS + "/zz.yaml", configMap),
            null,
            ArchiveFormatException.class,
            "object file is not <name>.json"),
        bad(
            "dot-dot path",
            raw(rawStart, RawEntry.file("configmaps.#v1/../zz.json", configMap)),
            null,
            ArchiveFormatException.class,
            "'..' segment escapes the archive root"),
        bad(
            "absolute path",
            raw(rawStart, RawEntry.file("/configmaps.#v1/zz.json", configMap)),
            null,
            ArchiveFormatException.class,
            "absolute path"),
        bad(
            "symbolic link",
            raw(
                rawStart,
                new RawEntry("configmaps.#v1/" + NS + "/link.json", new byte[0], (byte) '2')),
            null,
            ArchiveFormatException.class,
            "unsupported entry type 'symbolic link'"),
        bad(
            "huge entry",
            validStart()
                .file(object, new byte[(int) ArchiveIndexer.DEFAULT_MAX_ENTRY_BYTES + 1])
                .bytes(),
            null,
            ArchiveFormatException.class,
            "larger than the limit of 16777216 bytes"),
        bad(
            "apiVersion of another directory",
            withEntry(object, configMap.replace("\"v1\"", "\"apps/v1\"")),
            null,
            ArchiveFormatException.class,
            "does not match the type directory 'configmaps.#v1'"),
        bad(
            "name of another path",
            withEntry(object, configMap.replace("zz", "other")),
            null,
            ArchiveFormatException.class,
            "metadata.name 'other' does not match the path ('zz')"),
        bad(
            "filters not JSON",
            validStart().filters("resourceSelectors: []").bytes(),
            null,
            ArchiveFormatException.class,
            "archive entry 'filters/filters.json': not valid JSON"),
        bad(
            "encrypted, no configuration",
            sealed,
            ObjectCipher.none(),
            DecryptionException.class,
            "provide same encryption config as used for backup"),
        bad(
            "wrong key",
            sealed,
            cipher(EncryptionConfigs.AESGCM_OTHER_KEY),
            DecryptionException.class,
            "archive entry 'secrets.#v1/" + NS + "/sealed.json'"),
        bad(
            "key of another provider",
            sealed,
            cipher(EncryptionConfigs.SECRETBOX),
            DecryptionException.class,
            "provide same encryption config as used for backup"),
        bad(
            "key name missing from the configuration",
            sealed,
            cipher(EncryptionConfigs.AESGCM_OTHER_NAME),
            DecryptionException.class,
            "provide same encryption config as used for backup"));
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

  private static Arguments bad(
      String description, byte[] archive, ObjectCipher cipher, Class<?> type, String message) {
    return Arguments.of(description, archive, cipher, type, message);
  }

  private static byte[] raw(List<RawEntry> start, RawEntry bad) {
    List<RawEntry> entries = new java.util.ArrayList<>(start);
    entries.add(bad);
    return TestArchive.rawTarGz(entries);
  }

  private static ObjectCipher cipher(byte[] config) {
    return ObjectCipher.of(EncryptionConfig.parse(config));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static byte[] gunzip(byte[] gzip) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip));
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.crypto.DecryptionException;
import dev.backuprestore.crypto.EncryptionConfig;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.restore.TestArchive.RawEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The bad-archive corpus: each archive starts with valid objects in a namespace and then breaks in
 * one way, with the message that names the problem. Shared by the restore (RestoreBadArchiveIT) and
 * the CLI's verify, so that both reject the same archives with the same words.
 */
public final class BadArchiveCorpus {
  /** The decryption config to use: none at all. */
  public static final byte[] NO_CONFIG = new byte[0];

  /** The config that sealed the corpus's encrypted entries (aesgcm, key1). */
  public static final byte[] SEALING_CONFIG = EncryptionConfigs.AESGCM;

  /**
   * One bad archive.
   *
   * @param config the EncryptionConfiguration to read it with; null for {@link #SEALING_CONFIG},
   *     {@link #NO_CONFIG} for none
   */
  public record BadArchive(
      String description, byte[] archive, byte[] config, Class<?> type, String message) {
    @Override
    public String toString() {
      return description;
    }
  }

  private BadArchiveCorpus() {}

  /** The valid beginning of every bad archive: filters naming the controller, two objects. */
  private static TestArchive validStart(String namespace) {
    return new TestArchive()
        .filters(
            RestoreFixture.filters(
                List.of(namespace), RestoreFixture.controller(namespace, "controller")))
        .add("configmaps", Json.configMap(namespace, "existing", "k", "from-archive"))
        .add("configmaps", Json.configMap(namespace, "new", "k", "v"));
  }

  /** The valid start and one more entry, written without the writer's checks. */
  private static byte[] withEntry(String namespace, String path, String content) {
    return raw(rawStart(namespace), RawEntry.file(path, content));
  }

  private static List<RawEntry> rawStart(String namespace) {
    return List.of(
        RawEntry.file(
            "filters/filters.json",
            RestoreFixture.filters(
                List.of(namespace), RestoreFixture.controller(namespace, "controller"))),
        RawEntry.file(
            "configmaps.#v1/" + namespace + "/existing.json",
            json(Json.configMap(namespace, "existing", "k", "x"))),
        RawEntry.file(
            "configmaps.#v1/" + namespace + "/new.json",
            json(Json.configMap(namespace, "new", "k", "v"))));
  }

  private static String json(ObjectNode object) {
    return new String(ArchiveJson.write(object), StandardCharsets.UTF_8);
  }

  /** Every bad archive, its objects in {@code namespace}. */
  public static List<BadArchive> all(String namespace) {
    byte[] valid = validStart(namespace).bytes();
    byte[] validTar = gunzip(valid);
    String object = "configmaps.#v1/" + namespace + "/zz.json";
    String configMap =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"zz\"}}";
    ObjectNode secret = Json.object("v1", "Secret", namespace, "sealed");
    byte[] sealed =
        validStart(namespace)
            .sealedWith(ObjectCipher.of(EncryptionConfig.parse(EncryptionConfigs.AESGCM)))
            .add("secrets", secret)
            .bytes();
    List<RawEntry> rawStart = rawStart(namespace);
    return List.of(
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
            withEntry(namespace, object, "{\"apiVersion\": nonsense"),
            null,
            ArchiveFormatException.class,
            "archive entry '" + object + "': not valid JSON at line 1"),
        bad(
            "truncated JSON",
            withEntry(namespace, object, "{\"apiVersion\":\"v1\","),
            null,
            ArchiveFormatException.class,
            "archive entry '" + object + "': truncated JSON"),
        bad(
            "JSON array",
            withEntry(namespace, object, "[]"),
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
            withEntry(namespace, "configmaps/" + namespace + "/zz.json", configMap),
            null,
            ArchiveFormatException.class,
            "unknown layout: type directory 'configmaps'"),
        bad(
            "too deep",
            withEntry(namespace, "configmaps.#v1/" + namespace + "/extra/zz.json", configMap),
            null,
            ArchiveFormatException.class,
            "too many path segments"),
        bad(
            "not .json",
            withEntry(namespace, "configmaps.#v1/" + namespace + "/zz.yaml", configMap),
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
                new RawEntry(
                    "configmaps.#v1/" + namespace + "/link.json", new byte[0], (byte) '2')),
            null,
            ArchiveFormatException.class,
            "unsupported entry type 'symbolic link'"),
        bad(
            "huge entry",
            validStart(namespace)
                .file(object, new byte[(int) ArchiveIndexer.DEFAULT_MAX_ENTRY_BYTES + 1])
                .bytes(),
            null,
            ArchiveFormatException.class,
            "larger than the limit of 16777216 bytes"),
        bad(
            "apiVersion of another directory",
            withEntry(namespace, object, configMap.replace("\"v1\"", "\"apps/v1\"")),
            null,
            ArchiveFormatException.class,
            "does not match the type directory 'configmaps.#v1'"),
        bad(
            "name of another path",
            withEntry(namespace, object, configMap.replace("zz", "other")),
            null,
            ArchiveFormatException.class,
            "metadata.name 'other' does not match the path ('zz')"),
        bad(
            "filters not JSON",
            validStart(namespace).filters("resourceSelectors: []").bytes(),
            null,
            ArchiveFormatException.class,
            "archive entry 'filters/filters.json': not valid JSON"),
        bad(
            "encrypted, no configuration",
            sealed,
            NO_CONFIG,
            DecryptionException.class,
            "provide same encryption config as used for backup"),
        bad(
            "wrong key",
            sealed,
            EncryptionConfigs.AESGCM_OTHER_KEY,
            DecryptionException.class,
            "archive entry 'secrets.#v1/" + namespace + "/sealed.json'"),
        bad(
            "key of another provider",
            sealed,
            EncryptionConfigs.SECRETBOX,
            DecryptionException.class,
            "provide same encryption config as used for backup"),
        bad(
            "key name missing from the configuration",
            sealed,
            EncryptionConfigs.AESGCM_OTHER_NAME,
            DecryptionException.class,
            "provide same encryption config as used for backup"));
  }

  private static BadArchive bad(
      String description, byte[] archive, byte[] config, Class<?> type, String message) {
    return new BadArchive(description, archive, config, type, message);
  }

  private static byte[] raw(List<RawEntry> start, RawEntry bad) {
    List<RawEntry> entries = new java.util.ArrayList<>(start);
    entries.add(bad);
    return TestArchive.rawTarGz(entries);
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

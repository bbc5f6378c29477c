package dev.backuprestore.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TarGzArchiveReaderTest {
  private static final String SECRET = "secrets.#v1/cattle-system/foo.json";
  private static final String JSON = "{\"kind\":\"Secret\"}";

  static List<ArchiveEntry> readAll(byte[] archive) throws IOException {
    return readAll(archive, TarGzArchiveReader.DEFAULT_MAX_ENTRY_BYTES);
  }

  static List<ArchiveEntry> readAll(byte[] archive, long limit) throws IOException {
    List<ArchiveEntry> entries = new ArrayList<>();
    try (TarGzArchiveReader reader =
        new TarGzArchiveReader(new ByteArrayInputStream(archive), limit)) {
      Optional<ArchiveEntry> entry;
      while ((entry = reader.next()).isPresent()) {
        entries.add(entry.get());
      }
      assertThat(reader.next()).isEmpty(); // stays ended
    }
    return entries;
  }

  private static byte[] valid() {
    return new TarBytes()
        .directory("secrets.#v1")
        .directory("secrets.#v1/cattle-system")
        .file(SECRET, JSON)
        .directory("filters/")
        .file("filters/filters.json", "{\"resourceSelectors\":[]}")
        .tarGz();
  }

  @Test
  void readsFilesSkipsDirectoriesAndRecognizesFilters() throws IOException {
    List<ArchiveEntry> entries = readAll(valid());

    assertThat(entries)
        .extracting(ArchiveEntry::path)
        .containsExactly(SECRET, "filters/filters.json");
    ArchiveEntry secret = entries.get(0);
    assertThat(secret.isFilters()).isFalse();
    assertThat(secret.object())
        .isEqualTo(new ObjectPath("", "v1", "secrets", "cattle-system", "foo"));
    assertThat(new String(secret.content(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    assertThat(entries.get(1).isFilters()).isTrue();
    assertThat(entries.get(1).object()).isNull();
  }

  @Test
  void readsAnArchiveWrittenLikeRancherWithGoArchiveTar() throws IOException {
    // Made by src/test/resources/dev/backuprestore/archive/rancher-go-writer.go: Go's
    // archive/tar as Rancher uses it (directories without '/', a long name in ustar prefix+name).
    byte[] archive;
    try (InputStream in = getClass().getResourceAsStream("rancher-go-writer.tar.gz")) {
      archive = in.readAllBytes();
    }
    List<ArchiveEntry> entries = readAll(archive);

    String longPath = "configmaps.#v1/" + "n".repeat(63) + "/" + "c".repeat(120) + ".json";
    assertThat(entries)
        .extracting(ArchiveEntry::path)
        .containsExactly(
            longPath,
            "customresourcedefinitions.apiextensions.k8s.io#v1/users.management.cattle.io.json",
            "filters/filters.json",
            "namespaces.#v1/cattle-system.json",
            SECRET,
            "users.management.cattle.io#v3/u-abc.json");
    assertThat(entries.get(1).object())
        .isEqualTo(
            new ObjectPath(
                "apiextensions.k8s.io",
                "v1",
                "customresourcedefinitions",
                null,
                "users.management.cattle.io"));
    assertThat(new String(entries.get(2).content(), StandardCharsets.UTF_8))
        .contains("\"controllerReferences\":[]");
    assertThat(entries.get(5).object())
        .isEqualTo(new ObjectPath("management.cattle.io", "v3", "users", null, "u-abc"));
  }

  @Test
  void acceptsArchivesWithoutFiltersAndWithoutDirectoryEntries() throws IOException {
    byte[] archive = new TarBytes().file("namespaces.#v1/default.json", JSON).tarGz();
    assertThat(readAll(archive))
        .extracting(ArchiveEntry::path)
        .containsExactly("namespaces.#v1/default.json");
  }

  @Test
  void acceptsAnEmptyArchive() throws IOException {
    assertThat(readAll(new TarBytes().tarGz())).isEmpty();
  }

  @Test
  void acceptsOldStyleRegularFileTypeAndConcatenatedGzipMembers() throws IOException {
    byte[] oldStyle = new TarBytes().file("x.#v1/a.json", JSON).tar();
    oldStyle[156] = 0; // typeflag NUL: pre-POSIX regular file
    fixChecksum(oldStyle);
    int split = 512 + 512; // header and body block in one gzip member, the end in another
    byte[] archive =
        TarBytes.concat(
            TarBytes.gzip(Arrays.copyOfRange(oldStyle, 0, split)),
            TarBytes.gzip(Arrays.copyOfRange(oldStyle, split, oldStyle.length)));
    assertThat(readAll(archive)).extracting(ArchiveEntry::path).containsExactly("x.#v1/a.json");
  }

  @Test
  void acceptsLongPaxNamesAndExtraZeroPadding() throws IOException {
    String longName = "a".repeat(253);
    String path = "configmaps.#v1/" + "n".repeat(63) + "/" + longName + ".json";
    byte[] tar = new TarBytes().file(path, JSON).tar();
    byte[] archive = TarBytes.gzip(TarBytes.concat(tar, new byte[10240]));
    assertThat(readAll(archive)).extracting(ArchiveEntry::path).containsExactly(path);
  }

  @Test
  void sizeLimitIsConfigurable() throws IOException {
    byte[] archive = new TarBytes().file(SECRET, "0123456789").tarGz();
    assertThat(readAll(archive, 10)).hasSize(1);
    assertThatThrownBy(() -> readAll(archive, 9))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessage(
            "archive entry '" + SECRET + "': entry is 10 bytes, larger than the limit of 9 bytes");
  }

  @Test
  void sourceFailuresStayIOExceptionsSoCallersCanRetry() {
    byte[] archive = valid();
    InputStream failing =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served >= 40) {
              throw new IOException("connection reset");
            }
            return archive[served++] & 0xff;
          }
        };
    assertThatThrownBy(
            () -> {
              try (TarGzArchiveReader reader = new TarGzArchiveReader(failing)) {
                while (reader.next().isPresent()) {
                  // drain
                }
              }
            })
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ArchiveFormatException.class)
        .hasMessage("connection reset");
  }

  @Test
  void aFailedReaderNeverPretendsTheArchiveEnded() throws IOException {
    byte[] archive = new TarBytes().file("README.md", "x").file(SECRET, JSON).tarGz();
    try (TarGzArchiveReader reader = new TarGzArchiveReader(new ByteArrayInputStream(archive))) {
      assertThatThrownBy(reader::next).isInstanceOf(ArchiveFormatException.class);
      assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
    }
  }

  static Stream<Arguments> badArchives() {
    byte[] tar = new TarBytes().file(SECRET, JSON).file("filters/filters.json", "{}").tar();
    byte[] gz = TarBytes.gzip(tar);
    byte[] bodyCut = Arrays.copyOf(tar, 512 + 5); // header, then 5 of 17 body bytes
    byte[] headerCut = Arrays.copyOf(tar, 300);
    byte[] afterEndMarker = TarBytes.concat(tar, "garbage".getBytes(StandardCharsets.UTF_8));
    byte[] zeroThenData = TarBytes.concat(Arrays.copyOf(tar, 512 * 2), new byte[512], tar);
    return Stream.of(
        bad("truncated gzip", () -> Arrays.copyOf(gz, gz.length - 9), "truncated gzip stream"),
        bad("gzip cut in its header", () -> Arrays.copyOf(gz, 5), "truncated gzip stream"),
        bad("not gzip", () -> tar, "not a gzip stream (before the first entry)"),
        bad("empty input", () -> new byte[0], "not a gzip stream"),
        bad(
            "garbage after gzip",
            () -> TarBytes.concat(gz, "garbage".getBytes(StandardCharsets.UTF_8)),
            "trailing data after the gzip stream"),
        bad("bad gzip CRC", () -> corruptCrc(gz), "corrupt gzip stream"),
        bad(
            "truncated tar body",
            () -> TarBytes.gzip(bodyCut),
            "archive entry '" + SECRET + "': truncated tar"),
        bad(
            "truncated tar header",
            () -> TarBytes.gzip(headerCut),
            "truncated tar: incomplete header block"),
        bad(
            "missing end-of-archive marker",
            () -> TarBytes.gzip(new TarBytes().file(SECRET, JSON).tarWithoutEndMarker()),
            "truncated tar: missing end-of-archive marker (after entry '" + SECRET + "')"),
        bad(
            "data after the tar end marker",
            () -> TarBytes.gzip(afterEndMarker),
            "trailing data after the tar end-of-archive marker"),
        bad(
            "a zero block then more entries",
            () -> TarBytes.gzip(zeroThenData),
            "trailing data after the tar end-of-archive marker"),
        bad("random bytes in gzip", () -> TarBytes.gzip(randomBlock()), "corrupt or truncated tar"),
        bad(
            "empty entry",
            () -> new TarBytes().file(SECRET, "").tarGz(),
            "'" + SECRET + "': empty entry"),
        bad(
            "empty filters",
            () -> new TarBytes().file("filters/filters.json", "").tarGz(),
            "'filters/filters.json': empty entry"),
        bad(
            "dot-dot",
            () -> new TarBytes().file("secrets.#v1/../../x.json", JSON).tarGz(),
            "'..' segment escapes the archive root"),
        bad(
            "dot-dot directory",
            () -> new TarBytes().directory("../evil/").tarGz(),
            "'..' segment escapes the archive root"),
        bad(
            "absolute path",
            () -> new TarBytes().file("/secrets.#v1/x.json", JSON).tarGz(),
            "'/secrets.#v1/x.json': absolute path"),
        bad(
            "dot-slash prefix",
            () -> new TarBytes().file("./secrets.#v1/x.json", JSON).tarGz(),
            "path starts with './'"),
        bad(
            "unknown layout",
            () -> new TarBytes().file("README.md", "hello").tarGz(),
            "'README.md': not inside a type directory"),
        bad(
            "too many segments",
            () -> new TarBytes().file("secrets.#v1/a/b/c.json", JSON).tarGz(),
            "too many path segments (4)"),
        bad(
            "other file under filters",
            () -> new TarBytes().file("filters/extra.json", JSON).tarGz(),
            "'filters/extra.json': unknown layout"),
        bad(
            "symbolic link",
            () -> new TarBytes().entry("secrets.#v1/x.json", TarConstants.LF_SYMLINK).tarGz(),
            "unsupported entry type 'symbolic link'"),
        bad(
            "hard link",
            () -> new TarBytes().entry("secrets.#v1/x.json", TarConstants.LF_LINK).tarGz(),
            "unsupported entry type 'hard link'"),
        bad(
            "duplicate entry",
            () -> new TarBytes().file(SECRET, JSON).file(SECRET, JSON).tarGz(),
            "'" + SECRET + "': duplicate entry"),
        bad(
            "huge entry (header claims 100 GiB)",
            () ->
                TarBytes.gzip(
                    TarBytes.concat(TarBytes.headerOnly(SECRET, 100L << 30), new byte[1024])),
            "entry is 107374182400 bytes, larger than the limit of 67108864 bytes"));
  }

  private static Arguments bad(String name, Supplier<byte[]> archive, String message) {
    return Arguments.of(name, archive, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArchives")
  void rejectsBadArchivesWithAClearPermanentError(
      String name, Supplier<byte[]> archive, String message) {
    assertThatThrownBy(() -> readAll(archive.get()))
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((ArchiveFormatException) e).isPermanent()).isTrue());
  }

  private static byte[] corruptCrc(byte[] gz) {
    byte[] copy = gz.clone();
    copy[copy.length - 8] ^= 0x55; // CRC32 is the trailer's first 4 bytes
    return copy;
  }

  private static byte[] randomBlock() {
    byte[] block = new byte[2048];
    new java.util.Random(42).nextBytes(block);
    return block;
  }

  /** Recomputes a ustar header checksum after a test edits the header. */
  static void fixChecksum(byte[] header) {
    Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += header[i] & 0xff;
    }
    byte[] octal = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(octal, 0, header, 148, 8);
  }
}
